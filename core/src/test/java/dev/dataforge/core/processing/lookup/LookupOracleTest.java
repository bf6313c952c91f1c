package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.dataforge.core.processing.lookup.LookupTestSupport.load;
import static dev.dataforge.core.processing.lookup.LookupTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 100,000-row tables probed at random, every answer checked against a java.util.HashMap. */
class LookupOracleTest
{
    private static final int ROWS = 100_000;
    private static final int PROBES = 300_000;

    @TempDir
    Path dir;

    private final RecordLayout before = SbeLayouts.userEvent();
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[before.recordLength()]);

    @Test
    void longKeys() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Map<Long, String[]> oracle = new HashMap<>();
        final List<Long> keys = new ArrayList<>();
        final StringBuilder csv = new StringBuilder("id,label,score\n");
        while (oracle.size() < ROWS)
        {
            final long key = random.nextInt(4) == 0 ? random.nextLong(-1000, 1_000_000) : random.nextLong();
            if (key == Long.MIN_VALUE || oracle.containsKey(key))
            {
                continue;
            }
            final String label = random.nextInt(10) == 0 ? null : "l" + Long.toHexString(random.nextLong());
            final String score = Long.toString(random.nextLong(-1_000_000, 1_000_000));
            oracle.put(key, new String[]{label, score});
            keys.add(key);
            csv.append(key).append(',').append(label == null ? "" : label).append(',').append(score).append('\n');
        }
        final LookupTable table = load(dir, "big.csv", csv.toString(), options("key", "id"));
        assertEquals(ROWS, table.size());
        final Enricher enricher = table.bind(before.field("session_id"), List.of(), "", before);
        final Field sessionId = before.field("session_id");
        final Field label = enricher.layout().field("label");
        final Field score = enricher.layout().field("score");
        int hits = 0;
        for (int i = 0; i < PROBES; i++)
        {
            final long key = random.nextBoolean() ? keys.get(random.nextInt(keys.size())) :
                random.nextBoolean() ? random.nextLong(-1000, 1_000_000) : random.nextLong();
            sessionId.putLong(slot, 0, key);
            final String[] expected = key == Long.MIN_VALUE ? null : oracle.get(key);
            final boolean hit = enricher.enrich(slot, 0);
            assertEquals(expected != null, hit, "key " + key);
            if (hit)
            {
                hits++;
                assertEquals(expected[0] == null, label.isNull(slot, 0), "key " + key);
                if (expected[0] != null)
                {
                    assertEquals(expected[0], label.getString(slot, 0), "key " + key);
                }
                assertEquals(Long.parseLong(expected[1]), score.getLong(slot, 0), "key " + key);
                assertEquals(key, table.keyColumn().getLong(table.rows(), table.rowBase(table.rowOf(key))));
            }
            else
            {
                assertTrue(label.isNull(slot, 0) && score.isNull(slot, 0), "key " + key);
            }
        }
        assertTrue(hits > PROBES / 3, "probes hit " + hits + " times");
    }

    @Test
    void stringKeys() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(11);
        final Map<String, Long> oracle = new HashMap<>();
        final List<String> keys = new ArrayList<>();
        final StringBuilder jsonl = new StringBuilder();
        while (oracle.size() < ROWS)
        {
            final String key = randomKey(random);
            if (oracle.containsKey(key))
            {
                continue;
            }
            final long value = random.nextLong(1, Long.MAX_VALUE);
            oracle.put(key, value);
            keys.add(key);
            jsonl.append("{\"k\": \"").append(key).append("\", \"v\": ").append(value).append("}\n");
        }
        final LookupTable table = load(dir, "big.jsonl", jsonl.toString(), options("key", "k"));
        assertEquals(ROWS, table.size());
        final Enricher enricher = table.bind(before.field("type"), List.of("v"), "", before);
        final Field type = before.field("type");
        final Field v = enricher.layout().field("v");
        int hits = 0;
        for (int i = 0; i < PROBES; i++)
        {
            final String key = random.nextBoolean() ? keys.get(random.nextInt(keys.size())) : randomKey(random);
            type.putString(slot, 0, key.getBytes(StandardCharsets.UTF_8));
            final Long expected = oracle.get(key);
            final boolean hit = enricher.enrich(slot, 0);
            assertEquals(expected != null, hit, key);
            if (hit)
            {
                hits++;
                assertEquals(expected.longValue(), v.getLong(slot, 0), key);
            }
            else
            {
                assertTrue(v.isNull(slot, 0), key);
            }
        }
        assertTrue(hits > PROBES / 3, "probes hit " + hits + " times");
    }

    /** 1 to 16 bytes (the event's type field holds 16), from a small alphabet so that near misses are common. */
    private static String randomKey(final SplittableRandom random)
    {
        final int length = 1 + random.nextInt(16);
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = "abcdxyz019-_".charAt(random.nextInt(12));
        }
        return new String(chars);
    }
}
