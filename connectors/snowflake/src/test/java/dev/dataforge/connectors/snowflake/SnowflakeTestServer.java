package dev.dataforge.connectors.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.duckdb.DuckDBConnection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A small Snowflake-protocol server on loopback for tests: the real {@code snowflake-jdbc} driver logs in (password
 * or key-pair JWT), runs statements with and without binds (array binds included), keeps autocommit and an open
 * transaction per session, and gets errors in Snowflake's shape; the data lives in an embedded DuckDB database.
 * <p>
 * It is not Snowflake. It understands the statements a sink sends (SELECT, INSERT, MERGE, UPDATE, DELETE,
 * CREATE/DROP/ALTER TABLE, TRUNCATE, ALTER SESSION SET AUTOCOMMIT/TIMEZONE, BEGIN, COMMIT, ROLLBACK) and refuses
 * anything else loudly: the statement fails with a "not supported by the test server" error and is recorded in
 * {@link #refused()}, which tests assert empty, so a test can never pass on SQL that was silently ignored.
 */
final class SnowflakeTestServer implements AutoCloseable
{
    /** Snowflake's statement type ids, as the driver reads them. */
    static final long SELECT = 0x1000, INSERT = 0x3100, UPDATE = 0x3200, DELETE = 0x3300, MERGE = 0x3400,
        ALTER_SESSION = 0x4100, TRANSACTION = 0x5000, DDL = 0x6000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ARRAY_INSERT = Pattern.compile(
        "(?is)\\s*INSERT\\s+INTO\\s+(.+?)\\s*\\(([^()]*)\\)\\s*VALUES\\s*\\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\)\\s*");
    /** {@code INSERT INTO t (columns) SELECT ?, PARSE_JSON(?), ...} (after {@link #toDuckDb}: {@code json(?)}). */
    private static final Pattern ARRAY_INSERT_SELECT = Pattern.compile(
        "(?is)\\s*INSERT\\s+INTO\\s+(.+?)\\s*\\(([^()]*)\\)\\s*SELECT\\s+((?:\\?|json\\(\\?\\))" +
            "(?:\\s*,\\s*(?:\\?|json\\(\\?\\)))*)\\s*");
    private static final Pattern AUTOCOMMIT = Pattern.compile(
        "(?is)ALTER\\s+SESSION\\s+SET\\s+AUTOCOMMIT\\s*=\\s*(TRUE|FALSE)");
    private static final Pattern TIMEZONE = Pattern.compile("(?is)ALTER\\s+SESSION\\s+SET\\s+TIMEZONE\\s*=\\s*'([^']+)'");

    private final HttpServer http;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final DuckDBConnection database;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, PublicKey> publicKeys = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicLong logins = new AtomicLong();

    /** A statement failure to inject: the next statement whose text matches fails with this code. */
    private record Failure(Predicate<String> matches, String code, String sqlState, String message)
    {
    }

    private static final class Session
    {
        final long id;
        final String user;
        final String masterToken;
        final Connection connection;
        volatile boolean killed;
        /** Snowflake's AUTOCOMMIT for the session, and whether BEGIN opened a transaction not yet begun in DuckDB. */
        boolean autocommit = true;
        boolean begun;
        ZoneId timeZone = ZoneId.of("America/Los_Angeles"); // Snowflake's default TIMEZONE

        Session(final long id, final String user, final String masterToken, final Connection connection)
        {
            this.id = id;
            this.user = user;
            this.masterToken = masterToken;
            this.connection = connection;
        }
    }

    /** A statement the server refuses: the client gets Snowflake's "not supported" error. */
    private static final class Refused extends Exception
    {
        Refused(final String message)
        {
            super(message);
        }
    }

    SnowflakeTestServer(final java.nio.file.Path databaseFile) throws IOException, SQLException
    {
        database = (DuckDBConnection)DriverManager.getConnection("jdbc:duckdb:" + databaseFile);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Accepts {@code user} with {@code password}. */
    SnowflakeTestServer user(final String user, final String password)
    {
        passwords.put(user.toUpperCase(Locale.ROOT), password);
        return this;
    }

    /** Accepts {@code user} with a JWT signed by the private key of {@code key}. */
    SnowflakeTestServer user(final String user, final PublicKey key)
    {
        publicKeys.put(user.toUpperCase(Locale.ROOT), key);
        return this;
    }

    int port()
    {
        return http.getAddress().getPort();
    }

    /** @return the JDBC URL of this server: plain HTTP, no cloud platform probing. */
    String url()
    {
        return "jdbc:snowflake://127.0.0.1:" + port() + "/?ssl=off&account=testacct&disablePlatformDetection=true";
    }

    /** @return a new connection straight to the DuckDB database behind the server, to inspect what was stored. */
    Connection inspect() throws SQLException
    {
        return database.duplicate();
    }

    /** @return the statements refused as not understood; tests assert this empty. */
    List<String> refused()
    {
        return refused;
    }

    /** @return every statement received, in order, as the driver sent it. */
    List<String> statements()
    {
        return statements;
    }

    /** @return how many logins succeeded. */
    long logins()
    {
        return logins.get();
    }

    /** Fails the next statement whose text matches {@code regex} with Snowflake's error code and SQLSTATE. */
    void failNext(final String regex, final String code, final String sqlState, final String message)
    {
        final Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        failures.add(new Failure(s -> p.matcher(s).find(), code, sqlState, message));
    }

    /**
     * Ends every session as an administrator's {@code SYSTEM$ABORT_SESSION} would: open transactions roll back and
     * each later request of those sessions fails with "session no longer exists".
     * @return how many sessions were ended.
     */
    int killSessions()
    {
        int n = 0;
        for (final Session s : sessions.values())
        {
            if (!s.killed)
            {
                synchronized (s)
                {
                    s.killed = true;
                    try
                    {
                        if (!s.connection.getAutoCommit())
                        {
                            s.connection.rollback();
                        }
                        s.connection.close();
                    }
                    catch (final SQLException ignored)
                    {
                        // the session is gone either way
                    }
                }
                n++;
            }
        }
        return n;
    }

    /** @return how many sessions are open (logged in, not closed, not killed). */
    int openSessions()
    {
        return (int)sessions.values().stream().filter(s -> !s.killed).count();
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        ObjectNode answer;
        try
        {
            final String path = exchange.getRequestURI().getPath();
            final byte[] body = body(exchange);
            switch (path)
            {
                case "/session/v1/login-request": answer = login(exchange, body); break;
                case "/queries/v1/query-request": answer = query(exchange, body); break;
                case "/session/heartbeat": answer = heartbeat(exchange); break;
                case "/session": answer = closeSession(exchange); break;
                case "/telemetry/send": answer = ok(); break;
                default:
                    refused.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                    answer = error("390400", "08001", "not supported by the DataForge Snowflake test server: " +
                        exchange.getRequestMethod() + " " + path);
            }
        }
        catch (final RuntimeException | SQLException e)
        {
            refused.add("server failure: " + e);
            answer = error("000603", "XX000", "test server failure: " + e);
        }
        final byte[] out = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, out.length);
        try (OutputStream o = exchange.getResponseBody())
        {
            o.write(out);
        }
    }

    private static byte[] body(final HttpExchange exchange) throws IOException
    {
        try (InputStream raw = exchange.getRequestBody())
        {
            final byte[] bytes = raw.readAllBytes();
            if (bytes.length > 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B)
            {
                try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)))
                {
                    final ByteArrayOutputStream plain = new ByteArrayOutputStream();
                    in.transferTo(plain);
                    return plain.toByteArray();
                }
            }
            return bytes;
        }
    }

    private static Map<String, String> query(final HttpExchange exchange)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        final String q = exchange.getRequestURI().getRawQuery();
        if (q != null)
        {
            for (final String pair : q.split("&"))
            {
                final int eq = pair.indexOf('=');
                if (eq > 0)
                {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private ObjectNode login(final HttpExchange exchange, final byte[] body) throws IOException, SQLException
    {
        final JsonNode data = JSON.readTree(body).path("data");
        final String user = data.path("LOGIN_NAME").asText().toUpperCase(Locale.ROOT);
        final String authenticator = data.path("AUTHENTICATOR").asText("SNOWFLAKE");
        final boolean accepted;
        if ("SNOWFLAKE_JWT".equalsIgnoreCase(authenticator))
        {
            accepted = publicKeys.containsKey(user) && validJwt(data.path("TOKEN").asText(), user,
                publicKeys.get(user));
        }
        else if (authenticator.isEmpty() || "SNOWFLAKE".equalsIgnoreCase(authenticator))
        {
            accepted = passwords.containsKey(user) && passwords.get(user).equals(data.path("PASSWORD").asText());
        }
        else
        {
            refused.add("login with authenticator " + authenticator);
            return error("390100", "08004", "authenticator " + authenticator + " is not supported by the DataForge " +
                "Snowflake test server");
        }
        if (!accepted)
        {
            return error("390100", "08004", "Incorrect username or password was specified.");
        }
        final Map<String, String> params = query(exchange);
        final Session session = new Session(ids.incrementAndGet(), user, "master-" + UUID.randomUUID(),
            database.duplicate());
        final String token = "token-" + UUID.randomUUID();
        sessions.put(token, session);
        logins.incrementAndGet();
        final ObjectNode answer = ok();
        final ObjectNode d = answer.putObject("data");
        d.put("token", token);
        d.put("masterToken", session.masterToken);
        d.put("validityInSeconds", 3600);
        d.put("masterValidityInSeconds", 14400);
        d.put("sessionId", session.id);
        d.put("serverVersion", "9.99.0-dataforge-test");
        d.put("healthCheckInterval", 45);
        final ObjectNode info = d.putObject("sessionInfo");
        info.put("databaseName", params.getOrDefault("databaseName", "").toUpperCase(Locale.ROOT));
        info.put("schemaName", params.getOrDefault("schemaName", "").toUpperCase(Locale.ROOT));
        info.put("warehouseName", params.getOrDefault("warehouse", "").toUpperCase(Locale.ROOT));
        info.put("roleName", params.getOrDefault("roleName", "PUBLIC").toUpperCase(Locale.ROOT));
        final ArrayNode parameters = d.putArray("parameters");
        parameter(parameters, "AUTOCOMMIT", true);
        parameter(parameters, "CLIENT_TELEMETRY_ENABLED", false);
        parameter(parameters, "CLIENT_SESSION_KEEP_ALIVE", false);
        parameters.addObject().put("name", "TIMEZONE").put("value", session.timeZone.getId());
        return answer;
    }

    private static void parameter(final ArrayNode parameters, final String name, final boolean value)
    {
        parameters.addObject().put("name", name).put("value", value);
    }

    /** Checks an RS256 JWT's signature with the user's public key, its subject and its expiry. */
    private static boolean validJwt(final String jwt, final String user, final PublicKey key)
    {
        try
        {
            final String[] parts = jwt.split("\\.");
            if (parts.length != 3)
            {
                return false;
            }
            final Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2])))
            {
                return false;
            }
            final JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            final String subject = claims.path("sub").asText().toUpperCase(Locale.ROOT);
            return subject.endsWith("." + user) && claims.path("exp").asLong() > Instant.now().getEpochSecond();
        }
        catch (final Exception e)
        {
            return false;
        }
    }

    private Session session(final HttpExchange exchange)
    {
        final String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        final Matcher m = Pattern.compile("Snowflake Token=\"([^\"]+)\"").matcher(auth);
        return m.find() ? sessions.get(m.group(1)) : null;
    }

    private ObjectNode heartbeat(final HttpExchange exchange)
    {
        final Session s = session(exchange);
        return s == null || s.killed ? sessionGone() : ok();
    }

    private ObjectNode closeSession(final HttpExchange exchange)
    {
        final String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        final Matcher m = Pattern.compile("Snowflake Token=\"([^\"]+)\"").matcher(auth);
        final Session s = m.find() ? sessions.remove(m.group(1)) : null;
        if (s != null)
        {
            synchronized (s)
            {
                try
                {
                    if (!s.killed && !s.connection.getAutoCommit())
                    {
                        s.connection.rollback(); // Snowflake rolls back what a closed session left open
                    }
                    s.connection.close();
                }
                catch (final SQLException ignored)
                {
                    // closing anyway
                }
            }
        }
        return ok();
    }

    private static ObjectNode sessionGone()
    {
        return error("390111", "08003", "Session no longer exists.  New login required to access the service.");
    }

    private ObjectNode query(final HttpExchange exchange, final byte[] body) throws IOException
    {
        final Session session = session(exchange);
        if (session == null || session.killed)
        {
            return sessionGone();
        }
        final JsonNode request = JSON.readTree(body);
        final String sql = request.path("sqlText").asText();
        final boolean describeOnly = request.path("describeOnly").asBoolean(false);
        statements.add(describeOnly ? "describe: " + sql : sql);
        synchronized (session)
        {
            if (session.killed)
            {
                return sessionGone();
            }
            try
            {
                if (!describeOnly)
                {
                    for (final Failure f : failures)
                    {
                        if (f.matches().test(sql) && failures.remove(f))
                        {
                            return error(f.code(), f.sqlState(), f.message());
                        }
                    }
                }
                return execute(session, sql, request.path("bindings"), describeOnly);
            }
            catch (final Refused e)
            {
                refused.add(sql + " -> " + e.getMessage());
                return error("000002", "0A000", "not supported by the DataForge Snowflake test server: " +
                    e.getMessage());
            }
            catch (final SQLException e)
            {
                return databaseError(e);
            }
        }
    }

    /** Maps a DuckDB error onto the Snowflake error a client would see for the same cause. */
    private static ObjectNode databaseError(final SQLException e)
    {
        final String m = String.valueOf(e.getMessage());
        if (m.contains("NOT NULL constraint failed"))
        {
            return error("100072", "22000", "NULL result in a non-nullable column (" + m + ")");
        }
        if (m.contains("Constraint Error"))
        {
            return error("100090", "23000", "Duplicate key value violates unique constraint (" + m + ")");
        }
        if (m.contains("Conversion Error") || m.contains("Invalid Input Error"))
        {
            return error("100038", "22018", "Numeric value is not recognized (" + m + ")");
        }
        if (m.contains("Catalog Error") && m.contains("does not exist"))
        {
            return error("002003", "42S02", "SQL compilation error: " + m);
        }
        if (m.contains("Parser Error") || m.contains("Binder Error") || m.contains("Catalog Error"))
        {
            return error("001003", "42000", "SQL compilation error: " + m);
        }
        return error("000603", "XX000", "SQL execution internal error: " + m);
    }

    private ObjectNode execute(final Session session, final String text, final JsonNode bindings,
        final boolean describeOnly) throws Refused, SQLException
    {
        final String sql = stripComments(text).strip().replaceFirst(";\\s*$", "");
        final String head = sql.toUpperCase(Locale.ROOT);
        final Connection c = session.connection;
        if (head.startsWith("ALTER SESSION"))
        {
            final Matcher autocommit = AUTOCOMMIT.matcher(sql);
            final Matcher zone = TIMEZONE.matcher(sql);
            if (autocommit.matches())
            {
                if (!describeOnly)
                {
                    session.autocommit = Boolean.parseBoolean(autocommit.group(1).toLowerCase(Locale.ROOT));
                    if (session.autocommit && !c.getAutoCommit())
                    {
                        c.commit(); // as Snowflake: turning autocommit on commits the open transaction
                        c.setAutoCommit(true);
                    }
                }
            }
            else if (zone.matches())
            {
                if (!describeOnly)
                {
                    session.timeZone = ZoneId.of(zone.group(1));
                }
            }
            else
            {
                throw new Refused("session parameter in '" + sql + "'");
            }
            return status(ALTER_SESSION, "Statement executed successfully.");
        }
        if (head.matches("(BEGIN|START TRANSACTION)( TRANSACTION| WORK)?"))
        {
            if (!describeOnly)
            {
                session.begun = true;
            }
            return status(TRANSACTION, "Statement executed successfully.");
        }
        if (head.matches("COMMIT( WORK)?|ROLLBACK( WORK)?"))
        {
            if (!describeOnly)
            {
                if (!c.getAutoCommit())
                {
                    if (head.startsWith("COMMIT"))
                    {
                        c.commit();
                    }
                    else
                    {
                        c.rollback();
                    }
                    c.setAutoCommit(true);
                }
                session.begun = false;
            }
            return status(TRANSACTION, "Statement executed successfully.");
        }
        if (!describeOnly && (!session.autocommit || session.begun) && c.getAutoCommit())
        {
            // Snowflake's transaction begins with its first statement, and each statement sees what was committed
            // before it: beginning the DuckDB transaction only now (DuckDB's see the database as of their BEGIN)
            // comes closest
            c.setAutoCommit(false);
        }
        final long type;
        if (head.startsWith("SELECT") || head.startsWith("WITH"))
        {
            type = SELECT;
        }
        else if (head.startsWith("INSERT"))
        {
            type = INSERT;
        }
        else if (head.startsWith("MERGE"))
        {
            type = MERGE;
        }
        else if (head.startsWith("UPDATE"))
        {
            type = UPDATE;
        }
        else if (head.startsWith("DELETE"))
        {
            type = DELETE;
        }
        else if (head.matches("(?s)(CREATE|DROP|ALTER)\\s+TABLE\\b.*|TRUNCATE\\b.*"))
        {
            type = DDL;
        }
        else
        {
            throw new Refused("statement '" + sql + "'");
        }
        final String duck = toDuckDb(sql);
        final boolean arrays = hasArrays(bindings);
        if (describeOnly)
        {
            return describe(c, duck, type);
        }
        if (type == DDL)
        {
            try (java.sql.Statement s = c.createStatement())
            {
                s.execute(duck);
            }
            return status(DDL, "Statement executed successfully.");
        }
        if (type == INSERT)
        {
            refuseTextIntoVariant(c, duck);
        }
        if (arrays)
        {
            if (type != INSERT)
            {
                throw new Refused("array binds for anything but INSERT (Snowflake answers arrayBindSupported " +
                    "only for INSERT): '" + sql + "'");
            }
            return dml(type, arrayInsert(session, duck, bindings));
        }
        try (PreparedStatement ps = c.prepareStatement(duck))
        {
            bind(session, ps, bindings);
            if (type == SELECT)
            {
                try (ResultSet rs = ps.executeQuery())
                {
                    return rows(rs);
                }
            }
            return dml(type, ps.executeUpdate());
        }
    }

    private static boolean hasArrays(final JsonNode bindings)
    {
        for (final JsonNode b : bindings)
        {
            if (b.path("value").isArray())
            {
                return true;
            }
        }
        return false;
    }

    /** Answers a describe: result columns of a query, the number of binds, and whether array binds are accepted. */
    private ObjectNode describe(final Connection c, final String duck, final long type) throws SQLException, Refused
    {
        final ObjectNode answer = ok();
        final ObjectNode d = answer.putObject("data");
        d.put("queryId", UUID.randomUUID().toString());
        d.put("statementTypeId", type);
        d.put("queryResultFormat", "json");
        d.putArray("rowset");
        final ArrayNode rowtype = d.putArray("rowtype");
        if (type == DDL)
        {
            d.put("numberOfBinds", 0);
            return answer;
        }
        try (PreparedStatement ps = c.prepareStatement(duck))
        {
            final ParameterMetaData pm = ps.getParameterMetaData();
            d.put("numberOfBinds", pm.getParameterCount());
            if (type == SELECT)
            {
                final ResultSetMetaData md = ps.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++)
                {
                    rowtype.add(column(md, i));
                }
            }
        }
        d.put("arrayBindSupported", type == INSERT);
        return answer;
    }

    /** INSERT ... VALUES (?, ...) with array binds: every column bound as one list, the rows unnested by DuckDB. */
    private int arrayInsert(final Session session, final String duck, final JsonNode bindings)
        throws Refused, SQLException
    {
        final Matcher selected = ARRAY_INSERT_SELECT.matcher(duck);
        if (selected.matches())
        {
            return arrayInsertSelect(session, selected, bindings);
        }
        final Matcher m = ARRAY_INSERT.matcher(duck);
        if (!m.matches())
        {
            throw new Refused("array binds for an INSERT that is not 'INSERT INTO t (columns) VALUES (?, ...)': '" +
                duck + "'");
        }
        final int columns = m.group(2).split(",").length;
        if (bindings.size() != columns)
        {
            throw new Refused(bindings.size() + " array binds for " + columns + " columns");
        }
        final StringBuilder select = new StringBuilder("INSERT INTO ").append(m.group(1)).append(" (")
            .append(m.group(2)).append(") SELECT ");
        for (int i = 0; i < columns; i++)
        {
            select.append(i == 0 ? "" : ", ").append("UNNEST(?::VARCHAR[])");
        }
        return insertArrays(session, select.toString(), bindings, columns);
    }

    /** Runs {@code sql} with each of its {@code columns} parameters a VARCHAR array of one array bind's values. */
    private int insertArrays(final Session session, final String sql, final JsonNode bindings, final int columns)
        throws Refused, SQLException
    {
        try (PreparedStatement ps = session.connection.prepareStatement(sql))
        {
            int rows = -1;
            for (int i = 1; i <= columns; i++)
            {
                final JsonNode b = bindings.path(Integer.toString(i));
                final JsonNode values = b.path("value");
                if (!values.isArray())
                {
                    throw new Refused("bind " + i + " is not an array while others are");
                }
                if (rows >= 0 && values.size() != rows)
                {
                    throw new Refused("array binds of different lengths");
                }
                rows = values.size();
                final Object[] text = new Object[rows];
                for (int r = 0; r < rows; r++)
                {
                    final Object v = value(session, b.path("type").asText(), values.get(r));
                    text[r] = v == null ? null : v.toString();
                }
                ps.setArray(i, session.connection.createArrayOf("VARCHAR", text));
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Snowflake stores a VARCHAR bound in VALUES into a VARIANT column as a string, not as the document (and takes no
     * PARSE_JSON in VALUES): refused here, so a sink that does it cannot pass.
     */
    private static void refuseTextIntoVariant(final Connection c, final String duck) throws Refused, SQLException
    {
        final Matcher m = ARRAY_INSERT.matcher(duck);
        if (!m.matches())
        {
            return;
        }
        final String[] parts = m.group(1).replace("\"", "").split("\\.");
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.columns WHERE " +
            "lower(table_name) = lower(?) AND data_type = 'JSON'"))
        {
            ps.setString(1, parts[parts.length - 1]);
            try (ResultSet rs = ps.executeQuery())
            {
                if (rs.next() && rs.getLong(1) > 0)
                {
                    throw new Refused("binds in VALUES into a VARIANT column (Snowflake stores the text as a string " +
                        "variant; use INSERT ... SELECT PARSE_JSON(?)): '" + duck + "'");
                }
            }
        }
    }

    /** {@code INSERT INTO t (c...) SELECT ?, json(?)}: each row's values through the same expressions. */
    private int arrayInsertSelect(final Session session, final Matcher m, final JsonNode bindings)
        throws Refused, SQLException
    {
        final String[] expressions = m.group(3).split("\\s*,\\s*");
        final int columns = m.group(2).split(",").length;
        if (expressions.length != columns || bindings.size() != columns)
        {
            throw new Refused(bindings.size() + " array binds and " + expressions.length + " values for " + columns +
                " columns");
        }
        final StringBuilder sql = new StringBuilder("INSERT INTO ").append(m.group(1)).append(" (")
            .append(m.group(2)).append(") SELECT ");
        final StringBuilder unnest = new StringBuilder();
        for (int i = 0; i < columns; i++)
        {
            sql.append(i == 0 ? "" : ", ").append(expressions[i].replace("?", "v" + i));
            unnest.append(i == 0 ? "" : ", ").append("UNNEST(?::VARCHAR[]) AS v").append(i);
        }
        sql.append(" FROM (SELECT ").append(unnest).append(")");
        return insertArrays(session, sql.toString(), bindings, columns);
    }

    private void bind(final Session session, final PreparedStatement ps, final JsonNode bindings)
        throws Refused, SQLException
    {
        for (int i = 1; i <= bindings.size(); i++)
        {
            final JsonNode b = bindings.path(Integer.toString(i));
            if (b.isMissingNode())
            {
                throw new Refused("bindings are not numbered 1.." + bindings.size() + ": " + bindings);
            }
            ps.setObject(i, value(session, b.path("type").asText(), b.path("value")));
        }
    }

    /** @return a bind value as Java: Snowflake's binding types, timestamps in epoch nanoseconds. */
    private static Object value(final Session session, final String type, final JsonNode value) throws Refused
    {
        if (value == null || value.isNull())
        {
            return null;
        }
        final String v = value.asText();
        switch (type)
        {
            case "FIXED": return new BigDecimal(v);
            case "REAL": return Double.valueOf(v);
            case "TEXT": return v;
            case "BOOLEAN": return "1".equals(v) || "true".equalsIgnoreCase(v);
            case "DATE": return LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(v)), ZoneOffset.UTC);
            case "TIMESTAMP_NTZ": return utc(v);
            case "TIMESTAMP_LTZ":
                // an instant: in a TIMESTAMP_NTZ column Snowflake stores its wall clock in the session's TIMEZONE
                return LocalDateTime.ofInstant(utc(v).toInstant(ZoneOffset.UTC), session.timeZone);
            default: throw new Refused("binding type " + type);
        }
    }

    private static LocalDateTime utc(final String epochNanos)
    {
        final BigDecimal[] parts = new BigDecimal(epochNanos).divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        long seconds = parts[0].longValueExact();
        long nanos = parts[1].longValueExact();
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }
        return LocalDateTime.ofEpochSecond(seconds, (int)nanos, ZoneOffset.UTC);
    }

    private ObjectNode rows(final ResultSet rs) throws SQLException, Refused
    {
        final ObjectNode answer = ok();
        final ObjectNode d = answer.putObject("data");
        d.put("queryId", UUID.randomUUID().toString());
        d.put("statementTypeId", SELECT);
        d.put("queryResultFormat", "json");
        final ResultSetMetaData md = rs.getMetaData();
        final ArrayNode rowtype = d.putArray("rowtype");
        for (int i = 1; i <= md.getColumnCount(); i++)
        {
            rowtype.add(column(md, i));
        }
        final ArrayNode rowset = d.putArray("rowset");
        int n = 0;
        while (rs.next())
        {
            final ArrayNode row = rowset.addArray();
            for (int i = 1; i <= md.getColumnCount(); i++)
            {
                row.add(text(rs, md, i));
            }
            n++;
        }
        d.put("total", n);
        d.put("returned", n);
        return answer;
    }

    private static ObjectNode column(final ResultSetMetaData md, final int i) throws SQLException, Refused
    {
        final ObjectNode col = JSON.createObjectNode();
        col.put("name", md.getColumnLabel(i).toUpperCase(Locale.ROOT));
        col.put("database", "");
        col.put("schema", "");
        col.put("table", "");
        col.put("nullable", true);
        col.put("byteLength", (Integer)null);
        col.put("collation", (String)null);
        switch (md.getColumnType(i))
        {
            case Types.TINYINT: case Types.SMALLINT: case Types.INTEGER: case Types.BIGINT:
                col.put("type", "fixed").put("precision", 38).put("scale", 0).put("length", (Integer)null);
                break;
            case Types.DECIMAL: case Types.NUMERIC:
                col.put("type", "fixed").put("precision", md.getPrecision(i)).put("scale", md.getScale(i))
                    .put("length", (Integer)null);
                break;
            case Types.FLOAT: case Types.REAL: case Types.DOUBLE:
                col.put("type", "real").put("precision", (Integer)null).put("scale", (Integer)null)
                    .put("length", (Integer)null);
                break;
            case Types.VARCHAR: case Types.CHAR:
                col.put("type", "text").put("length", 16_777_216).put("byteLength", 16_777_216)
                    .put("precision", (Integer)null).put("scale", (Integer)null);
                break;
            case Types.BOOLEAN:
                col.put("type", "boolean").put("precision", (Integer)null).put("scale", (Integer)null)
                    .put("length", (Integer)null);
                break;
            case Types.TIMESTAMP:
                col.put("type", "timestamp_ntz").put("precision", 0).put("scale", 9).put("length", (Integer)null);
                break;
            case Types.DATE:
                col.put("type", "date").put("precision", (Integer)null).put("scale", (Integer)null)
                    .put("length", (Integer)null);
                break;
            default:
                // HUGEINT and friends report OTHER; anything else is not a type the sink reads
                if ("HUGEINT".equals(md.getColumnTypeName(i)))
                {
                    col.put("type", "fixed").put("precision", 38).put("scale", 0).put("length", (Integer)null);
                    break;
                }
                throw new Refused("result column " + md.getColumnLabel(i) + " of type " + md.getColumnTypeName(i));
        }
        return col;
    }

    /** @return a value as Snowflake's JSON result format writes it. */
    private static String text(final ResultSet rs, final ResultSetMetaData md, final int i) throws SQLException
    {
        if (rs.getObject(i) == null)
        {
            return null;
        }
        switch (md.getColumnType(i))
        {
            case Types.BOOLEAN: return rs.getBoolean(i) ? "1" : "0";
            case Types.TIMESTAMP:
            {
                final LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                return t.toEpochSecond(ZoneOffset.UTC) + "." + String.format("%09d", t.getNano());
            }
            case Types.DATE: return Long.toString(rs.getObject(i, LocalDate.class).toEpochDay());
            case Types.DECIMAL: case Types.NUMERIC: return rs.getBigDecimal(i).toPlainString();
            default: return rs.getString(i);
        }
    }

    private static ObjectNode dml(final long type, final int count)
    {
        final ObjectNode answer = ok();
        final ObjectNode d = answer.putObject("data");
        d.put("queryId", UUID.randomUUID().toString());
        d.put("statementTypeId", type);
        d.put("queryResultFormat", "json");
        d.putArray("rowtype").addObject().put("name", type == INSERT ? "number of rows inserted" :
            type == DELETE ? "number of rows deleted" : "number of rows updated").put("type", "fixed")
            .put("precision", 19).put("scale", 0).put("nullable", false);
        d.putArray("rowset").addArray().add(Integer.toString(count));
        d.put("total", 1);
        d.put("returned", 1);
        return answer;
    }

    private static ObjectNode status(final long type, final String message)
    {
        final ObjectNode answer = ok();
        final ObjectNode d = answer.putObject("data");
        d.put("queryId", UUID.randomUUID().toString());
        d.put("statementTypeId", type);
        d.put("queryResultFormat", "json");
        d.putArray("rowtype").addObject().put("name", "status").put("type", "text").put("length", 16_777_216)
            .put("nullable", true);
        d.putArray("rowset").addArray().add(message);
        d.put("total", 1);
        d.put("returned", 1);
        return answer;
    }

    private static ObjectNode ok()
    {
        final ObjectNode answer = JSON.createObjectNode();
        answer.put("success", true);
        answer.putNull("code");
        answer.putNull("message");
        return answer;
    }

    private static ObjectNode error(final String code, final String sqlState, final String message)
    {
        final ObjectNode answer = JSON.createObjectNode();
        answer.put("success", false);
        answer.put("code", code);
        answer.put("message", message);
        final ObjectNode d = answer.putObject("data");
        d.put("sqlState", sqlState);
        d.put("errorCode", Integer.parseInt(code));
        d.put("queryId", UUID.randomUUID().toString());
        return answer;
    }

    /** Removes comments outside string literals and quoted identifiers. */
    static String stripComments(final String sql)
    {
        final StringBuilder out = new StringBuilder(sql.length());
        for (int i = 0; i < sql.length(); i++)
        {
            final char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"')
            {
                final int end = closing(sql, i, ch);
                out.append(sql, i, end);
                i = end - 1;
            }
            else if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*')
            {
                final int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 1;
                out.append(' ');
            }
            else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-')
            {
                final int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            }
            else
            {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static int closing(final String sql, final int open, final char quote)
    {
        for (int i = open + 1; i < sql.length(); i++)
        {
            if (sql.charAt(i) == quote)
            {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote)
                {
                    i++;
                    continue;
                }
                return i + 1;
            }
        }
        return sql.length();
    }

    private static final Pattern NUMBER = Pattern.compile("(?i)\\bNUMBER\\s*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?");
    private static final Pattern[][] TYPES = {
        {Pattern.compile("(?i)\\bTIMESTAMP_NTZ\\b"), Pattern.compile("TIMESTAMP")},
        {Pattern.compile("(?i)\\bTIMESTAMP_LTZ\\b"), Pattern.compile("TIMESTAMPTZ")},
        {Pattern.compile("(?i)\\bTIMESTAMP_TZ\\b"), Pattern.compile("TIMESTAMPTZ")},
        {Pattern.compile("(?i)\\bCURRENT_TIMESTAMP\\s*\\(\\s*\\)"), Pattern.compile("CURRENT_TIMESTAMP")},
        {Pattern.compile("(?i)\\bFLOAT\\b"), Pattern.compile("DOUBLE")},
        {Pattern.compile("(?i)\\bVARIANT\\b"), Pattern.compile("JSON")},
        {Pattern.compile("(?i)\\bPARSE_JSON\\s*\\("), Pattern.compile("json\\(")},
    };

    /**
     * Rewrites what Snowflake accepts and DuckDB does not, outside string literals and quoted identifiers:
     * {@code NUMBER(p,s)} (DECIMAL), {@code TIMESTAMP_NTZ/LTZ/TZ}, {@code CURRENT_TIMESTAMP()}, {@code FLOAT}
     * (a double in Snowflake).
     */
    static String toDuckDb(final String sql)
    {
        final StringBuilder out = new StringBuilder(sql.length());
        int plain = 0;
        for (int i = 0; i <= sql.length(); i++)
        {
            final boolean end = i == sql.length();
            final char ch = end ? 0 : sql.charAt(i);
            if (end || ch == '\'' || ch == '"')
            {
                out.append(rewrite(sql.substring(plain, i)));
                if (end)
                {
                    break;
                }
                final int close = closing(sql, i, ch);
                out.append(sql, i, close);
                i = close - 1;
                plain = close;
            }
        }
        return out.toString();
    }

    private static String rewrite(final String plain)
    {
        final Matcher m = NUMBER.matcher(plain);
        final StringBuilder sb = new StringBuilder();
        while (m.find())
        {
            final String args = m.group(1);
            m.appendReplacement(sb, args == null ? "DECIMAL(38,0)" : "DECIMAL" + args.replaceAll("\\s", "")
                .replaceFirst("^\\((\\d+)\\)$", "($1,0)"));
        }
        m.appendTail(sb);
        String s = sb.toString();
        for (final Pattern[] t : TYPES)
        {
            s = t[0].matcher(s).replaceAll(t[1].pattern());
        }
        return s;
    }

    @Override
    public void close() throws SQLException
    {
        http.stop(0);
        executor.shutdownNow();
        for (final Session s : sessions.values())
        {
            try
            {
                s.connection.close();
            }
            catch (final SQLException ignored)
            {
                // closing anyway
            }
        }
        database.close();
    }
}
