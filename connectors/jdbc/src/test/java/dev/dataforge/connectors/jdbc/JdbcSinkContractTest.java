package dev.dataforge.connectors.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The sink contract on the generic JDBC path (batched prepared INSERTs, MERGE checkpoints), against DuckDB. */
class JdbcSinkContractTest extends SinkContractTest
{
    /** The generic path knows no JSON type: a json field is text there. */
    @Override
    protected String jsonColumnType()
    {
        return "VARCHAR";
    }

    @Override
    protected String type()
    {
        return "jdbc";
    }

    @Override
    protected String config(final String table)
    {
        return "url: 'jdbc:duckdb:" + dir.resolve("generic.duckdb") + "', table: " + table;
    }

    @Override
    protected Connection inspect() throws SQLException
    {
        return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("generic.duckdb"));
    }
}
