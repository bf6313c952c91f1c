package dev.dataforge.core.expr;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import org.agrona.concurrent.UnsafeBuffer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter language against an independent oracle: the same events in a DuckDB table, the same condition as a
 * SQL {@code WHERE}. The conditions together use every operator and literal kind, with NULLs in every nullable
 * field.
 */
class FilterOracleTest
{
    private static final int EVENTS = 20_000;
    private static final String[] TYPES = {"click", "purchase", "view", "signup", "Click", "caf\u00e9", "\u65e5\u672c"};
    private static final String[] PAGES = {"/home", "/product/1", "/product/22", "/a_b", "/100%", "/caf\u00e9",
        "/\u65e5\u672c\u8a9e", "/cart", "/axb"};
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

    private static RecordLayout layout;
    private static UnsafeBuffer slots;
    private static int slotSize;
    private static Connection duckdb;

    @BeforeAll
    static void events() throws Exception
    {
        layout = SbeLayouts.userEvent();
        slotSize = layout.recordLength();
        slots = new UnsafeBuffer(new byte[EVENTS * slotSize]);
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duckdb.createStatement())
        {
            s.execute("CREATE TABLE events (event_id BIGINT, event_time TIMESTAMP, user_id BIGINT, session_id BIGINT, " +
                "type VARCHAR, page VARCHAR, amount DECIMAL(18,2), currency VARCHAR)");
        }
        final SplittableRandom random = new SplittableRandom(20261124);
        try (DuckDBAppender appender = ((DuckDBConnection)duckdb).createAppender("main", "events"))
        {
            for (int i = 0; i < EVENTS; i++)
            {
                final int base = i * slotSize;
                final long id = i + 1;
                final long time = -157_766_400_000_000L + random.nextLong(2_051_222_400_000_000L);
                final Long user = random.nextInt(10) == 0 ? null : 1L + random.nextInt(500);
                final Long session = random.nextInt(10) == 0 ? null : (long)random.nextInt(1001);
                final String type = random.nextInt(12) == 0 ? null : TYPES[random.nextInt(TYPES.length)];
                final String page = random.nextInt(12) == 0 ? null : PAGES[random.nextInt(PAGES.length)];
                final Long amount = random.nextInt(10) == 0 ? null : random.nextInt(20) == 0 ? 0L :
                    (long)random.nextInt(100_001) - 50_000;
                final String currency = random.nextInt(7) == 0 ? null : CURRENCIES[random.nextInt(3)];

                appender.beginRow();
                layout.field("event_id").putLong(slots, base, id);
                appender.append(id);
                layout.field("event_time").putLong(slots, base, time);
                appender.appendEpochMicros(time);
                putLong(appender, "user_id", base, user);
                putLong(appender, "session_id", base, session);
                putString(appender, "type", base, type);
                putString(appender, "page", base, page);
                if (amount == null)
                {
                    layout.field("amount").putNull(slots, base);
                    appender.appendNull();
                }
                else
                {
                    layout.field("amount").putLong(slots, base, amount);
                    appender.appendDecimal(amount);
                }
                putString(appender, "currency", base, currency);
                appender.endRow();
            }
            appender.flush();
        }
    }

    private static void putLong(final DuckDBAppender appender, final String name, final int base, final Long value)
        throws Exception
    {
        if (value == null)
        {
            layout.field(name).putNull(slots, base);
            appender.appendNull();
        }
        else
        {
            layout.field(name).putLong(slots, base, value);
            appender.append(value.longValue());
        }
    }

    private static void putString(final DuckDBAppender appender, final String name, final int base,
        final String value) throws Exception
    {
        if (value == null)
        {
            layout.field(name).putNull(slots, base);
            appender.appendNull();
        }
        else
        {
            layout.field(name).putString(slots, base, value.getBytes(StandardCharsets.UTF_8));
            appender.append(value);
        }
    }

    @AfterAll
    static void close() throws Exception
    {
        duckdb.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "event.type = 'click'",
        "event.type <> 'click'",
        "event.type != 'view'",
        "event.user_id < 100",
        "event.user_id <= 100",
        "event.user_id > 450",
        "event.user_id >= 450",
        "event.type IN ('click', 'purchase')",
        "event.type NOT IN ('click', 'purchase')",
        "event.user_id IN (1, 2, 3, 50, 499)",
        "event.user_id NOT IN (1, 2, NULL)",
        "event.user_id IN (7, NULL)",
        "event.amount BETWEEN -10 AND 10.5",
        "event.amount NOT BETWEEN -100.25 AND 100",
        "event.page LIKE '/product%'",
        "event.page NOT LIKE '%a%'",
        "event.page LIKE '/a_b'",
        "event.page LIKE '/____'",
        "event.page LIKE '%100%%'",
        "event.type LIKE 'caf_'",
        "event.page LIKE '/\u65e5_\u8a9e'",
        "event.page LIKE '%b'",
        "event.currency IS NULL",
        "event.currency IS NOT NULL",
        "event.amount IS NULL OR event.amount > 100",
        "NOT (event.user_id > 100)",
        "NOT event.type = 'click'",
        "event.type = 'click' OR event.type = 'view' AND event.user_id < 50",
        "(event.type = 'click' OR event.type = 'view') AND event.user_id < 50",
        "event.amount + 10 > 20.5",
        "event.amount - event.user_id < 0",
        "event.amount * 3 >= 150.75",
        "event.user_id / 7 > 20.5",
        "-event.amount > 100",
        "event.user_id / 0 > 1000",
        "event.session_id / event.user_id < 2",
        "event.amount * event.amount > 10000",
        "event.type > 'click' AND event.type < 'view'",
        "event.currency >= 'GBP'",
        "event.event_time < TIMESTAMP '1970-01-01 00:00:00'",
        "event.event_time BETWEEN TIMESTAMP '2000-01-01' AND TIMESTAMP '2020-06-30 12:00:00.5'",
        "TRUE",
        "FALSE OR event.user_id = 5",
        "event.user_id = NULL",
        "NOT (event.user_id = NULL)",
        "event.amount = 0",
        "event.amount > 1.005",
        "event.user_id = 5.0",
        "event.amount > 99999999999999",
        "NOT (event.currency IN ('EUR') OR event.amount < 0)",
        "event.user_id * 1.5 > 300",
        "NOT (event.session_id IS NULL) AND NOT (event.page LIKE '/c%')",
        "event.amount + NULL > 0 OR event.type = 'signup'",
        "(event.amount > 0) = (event.user_id > 250)",
    })
    void selectsExactlyWhatDuckDbSelects(final String condition) throws Exception
    {
        final Condition compiled = ExpressionCompiler.compileCondition(condition, layout);
        final TreeSet<Long> ours = new TreeSet<>();
        for (int i = 0; i < EVENTS; i++)
        {
            if (compiled.test(slots, i * slotSize))
            {
                ours.add(layout.field("event_id").getLong(slots, i * slotSize));
            }
        }
        final TreeSet<Long> duck = new TreeSet<>();
        try (Statement s = duckdb.createStatement();
            ResultSet rs = s.executeQuery("SELECT event_id FROM events WHERE " + condition.replace("event.", "")))
        {
            while (rs.next())
            {
                duck.add(rs.getLong(1));
            }
        }
        if (!ours.equals(duck))
        {
            final List<Long> onlyOurs = new ArrayList<>(ours);
            onlyOurs.removeAll(duck);
            final List<Long> onlyDuck = new ArrayList<>(duck);
            onlyDuck.removeAll(ours);
            assertEquals(duck.size(), ours.size(), condition + ": only ours " + head(onlyOurs) + ", only DuckDB's " +
                head(onlyDuck));
        }
        assertEquals(duck, ours, condition);
        if (!TRIVIAL.contains(condition))
        {
            assertTrue(!duck.isEmpty() && duck.size() < EVENTS, condition + " selects " + duck.size() +
                " events: the data does not exercise it");
        }
    }

    /** Conditions that select nothing or everything by design. */
    private static final java.util.Set<String> TRIVIAL = java.util.Set.of("TRUE", "event.user_id = NULL",
        "NOT (event.user_id = NULL)", "event.amount > 99999999999999", "event.user_id NOT IN (1, 2, NULL)");

    private static String head(final List<Long> ids) throws Exception
    {
        final StringBuilder sb = new StringBuilder();
        for (final long id : ids.subList(0, Math.min(5, ids.size())))
        {
            try (Statement s = duckdb.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM events WHERE event_id = " + id))
            {
                rs.next();
                sb.append("\n  ");
                for (int c = 1; c <= 8; c++)
                {
                    sb.append(rs.getString(c)).append(c < 8 ? " | " : "");
                }
            }
        }
        return ids.size() + sb.toString();
    }
}
