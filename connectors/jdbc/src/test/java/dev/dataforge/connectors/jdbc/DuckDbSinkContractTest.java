package dev.dataforge.connectors.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The sink contract on DuckDB's appender path. DuckDB is embedded: there is no connection to kill. */
class DuckDbSinkContractTest extends SinkContractTest
{
    @Override
    protected String type()
    {
        return "duckdb";
    }

    @Override
    protected String config(final String table)
    {
        return "path: contract.duckdb, table: " + table;
    }

    @Override
    protected Connection inspect() throws SQLException
    {
        return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("contract.duckdb"));
    }
}
