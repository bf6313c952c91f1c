package dev.dataforge.perf;

import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupFactory;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.connectors.jdbc.JdbcLookupFactory;
import dev.dataforge.connectors.kafka.KafkaLookupFactory;
import dev.dataforge.connectors.kafka.KafkaTopics;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.config.YamlTree;
import dev.dataforge.core.processing.lookup.LookupTable;
import dev.dataforge.core.processing.lookup.LookupTableBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * How long a lookup of N profiles takes to load, and how much memory it holds, from a PostgreSQL table
 * ({@code type: jdbc}) and from a compacted Kafka topic ({@code type: kafka}): each source read whole and built into
 * the lookup index the enrich stage probes (as a live lookup, with room for strings to grow), three times, the
 * median printed. Memory: the index's own bytes ({@code dataforge_lookup_bytes}) and the heap used after a GC with
 * the table held, minus before.
 *
 * <pre>java -cp "perf/target/dataforge-perf-0.1.0-SNAPSHOT.jar:perf/target/lib/*" dev.dataforge.perf.LookupLoadHarness [rows]</pre>
 */
public final class LookupLoadHarness
{
    private LookupLoadHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final Path dir = Files.createTempDirectory("lookup-load");
        System.out.printf(Locale.ROOT, "%d profiles (user_id, name, tier, country, lifetime_value); %s, %d cores, " +
            "JDK %s, max heap %d MiB%n", rows, System.getProperty("os.arch"),
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20);
        try (EmbeddedPostgres pg = EmbeddedPostgres.start())
        {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement())
            {
                s.execute("CREATE TABLE profiles (user_id bigint PRIMARY KEY, name text, tier text, country text, " +
                    "lifetime_value numeric(12, 2))");
                s.execute("INSERT INTO profiles SELECT g, 'user-' || g, (ARRAY['free','plus','pro','enterprise'])" +
                    "[1 + g % 4], (ARRAY['DE','PL','JP','US','BR'])[1 + g % 5], (g % 100000) / 100.0 " +
                    "FROM generate_series(1, " + rows + ") g");
            }
            final String url = pg.getJdbcUrl("postgres", "postgres");
            measure("PostgreSQL table (type: jdbc)", new JdbcLookupFactory(), "{url: '" + url + "', user: " +
                "postgres, table: profiles, key: user_id, refresh: 1h}", dir);
        }
        try (EmbeddedKafka kafka = new EmbeddedKafka())
        {
            final Properties admin = new Properties();
            admin.put("bootstrap.servers", kafka.bootstrapServers());
            KafkaTopics.createUnlessExists(admin, new NewTopic("profiles", 4, (short)1).configs(Map.of(
                "cleanup.policy", "compact")));
            final Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
            p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
            p.put("linger.ms", "20");
            p.put("batch.size", "262144");
            final String[] tiers = {"free", "plus", "pro", "enterprise"};
            final String[] countries = {"DE", "PL", "JP", "US", "BR"};
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
            {
                for (int g = 1; g <= rows; g++)
                {
                    final String json = "{\"name\":\"user-" + g + "\",\"tier\":\"" + tiers[g % 4] +
                        "\",\"country\":\"" + countries[g % 5] + "\",\"lifetime_value\":" + (g % 100000) / 100.0 + "}";
                    producer.send(new ProducerRecord<>("profiles", Integer.toString(g).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            }
            measure("compacted Kafka topic (type: kafka)", new KafkaLookupFactory(), "{brokers: '" +
                kafka.bootstrapServers() + "', topic: profiles, key: user_id}", dir);
        }
    }

    private static void measure(final String what, final LookupFactory factory, final String yaml, final Path dir)
        throws Exception
    {
        final ConfigValues config = factory.spec().bind(YamlTree.parse(yaml, "harness.yaml", Map.of()),
            "lookup 'profiles'", dir);
        final double[] seconds = new double[3];
        long bytes = 0;
        long heap = 0;
        int size = 0;
        for (int run = 0; run < seconds.length; run++)
        {
            final long heapBefore = usedHeap();
            final long start = System.nanoTime();
            final LookupTable table;
            try (LookupSource source = factory.open("profiles", config, dir))
            {
                table = LookupTableBuilder.buildLive("profiles", source.initial());
            }
            seconds[run] = (System.nanoTime() - start) / 1e9;
            heap = usedHeap() - heapBefore;
            bytes = table.bytes();
            size = table.size();
        }
        Arrays.sort(seconds);
        System.out.printf(Locale.ROOT, "%-38s %,d rows: load %.2f s median of 3 (%.2f..%.2f), %,.0f rows/s; " +
            "index %,d bytes (%.0f B/row), heap held %,d MiB%n", what, size, seconds[1], seconds[0], seconds[2],
            size / seconds[1], bytes, (double)bytes / size, heap >> 20);
    }

    private static long usedHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        final Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
