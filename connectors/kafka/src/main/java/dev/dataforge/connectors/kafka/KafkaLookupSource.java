package dev.dataforge.connectors.kafka;

import dev.dataforge.api.lookup.LookupException;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.JsonTree;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A compacted topic kept as a lookup table: every partition assigned (no consumer group, nothing committed) and read
 * from its start. {@link #open} reads up to the end offsets as of start into an in-memory map, key to row; the
 * columns are the key and the JSON fields seen in that read, fixed from then on (the engine's table layout is fixed
 * by the first version: fields first seen later are left out). {@link #next} applies the records that follow
 * (a tombstone deletes its key) and hands the whole map to the engine as a new version at most every
 * {@code refresh}.
 *
 * <p>{@link #open} and {@link #initial} run on the planning thread, {@link #next} on the engine's refresh thread;
 * {@link #close} may come from yet another thread while {@link #next} polls: it then wakes the poll up and the
 * refresh thread closes the consumer.
 */
public final class KafkaLookupSource implements LookupSource
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLookupSource.class);

    /** How often the read at start logs its progress. */
    private static final long PROGRESS_NANOS = Duration.ofSeconds(5).toNanos();
    /** Longest wait for the topic's metadata (its partitions) in one attempt. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    /** Least wait for the topic's metadata when a {@code required: false} lookup tries again. */
    private static final Duration LATE_METADATA_TIMEOUT = Duration.ofSeconds(5);
    /** Longest single poll of the read at start. */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(200);
    /** A skipped record is logged once per this many. */
    private static final int WARN_EVERY = 100;
    /**
     * How long the topic may stay silent before {@code next} asks the brokers for its end offsets: a consumer whose
     * brokers are down polls nothing and says nothing, and the engine must hear that the lookup cannot be refreshed.
     */
    private static final long REACH_CHECK_NANOS = Duration.ofSeconds(10).toNanos();

    /** The lookup's options, validated. */
    record Settings(String name, String brokers, String topic, String key, Map<String, Field> declared,
        Duration catchUpTimeout, Duration refresh, String refreshText, boolean required, Properties properties)
    {
    }

    private final Settings settings;
    private final String origin;
    private final Properties consumerProperties;

    /** Column names: the key first, then the fields in the order first seen. */
    private final List<String> columns = new ArrayList<>();
    private final Map<String, Integer> indexOf = new HashMap<>();
    /** Columns with a JSON string (or a nested value, kept as its JSON text) among their values. */
    private final BitSet text = new BitSet();
    /** The merged rows: key to values by column (arrays are never changed once stored: versions share them). */
    private final LinkedHashMap<String, String[]> rows = new LinkedHashMap<>();
    /** Whether the column set is fixed (after the read at start); new fields are then left out. */
    private boolean fixed;
    private final Set<String> leftOut = new HashSet<>();

    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private List<TopicPartition> partitions;
    private LookupRows initial;
    private boolean dirty;
    private long lastVersionNanos;
    private long notObjects;
    private long nullKeys;
    private long applied;
    private long lastHeardNanos = System.nanoTime();

    private final Object state = new Object();
    private boolean busy;
    private boolean closed;

    private KafkaLookupSource(final Settings settings)
    {
        this.settings = settings;
        this.origin = "topic " + settings.topic();
        this.consumerProperties = consumerProperties(settings);
        addColumn(settings.key());
    }

    /**
     * Reads the topic from its start up to its end offsets as of now.
     *
     * @throws LookupException when the topic does not exist, cannot be reached or is not read within
     *                         {@code catch_up_timeout} (with {@code required: true}).
     */
    static KafkaLookupSource open(final Settings settings) throws InterruptedException
    {
        final KafkaLookupSource source = new KafkaLookupSource(settings);
        try
        {
            source.readAtStart();
            return source;
        }
        catch (final InterruptedException | RuntimeException e)
        {
            source.closeConsumer();
            throw e;
        }
    }

    private static Properties consumerProperties(final Settings s)
    {
        final Properties p = new Properties();
        p.putAll(s.properties());
        p.putIfAbsent("client.id", "dataforge-lookup-" + s.name());
        p.putIfAbsent("isolation.level", "read_committed");
        // a position lost (the topic truncated) starts over at the start: the map converges again
        p.putIfAbsent("auto.offset.reset", "earliest");
        p.remove("group.id");
        p.setProperty("bootstrap.servers", s.brokers());
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("allow.auto.create.topics", "false");
        p.setProperty("key.deserializer", ByteArrayDeserializer.class.getName());
        p.setProperty("value.deserializer", ByteArrayDeserializer.class.getName());
        return p;
    }

    private void readAtStart() throws InterruptedException
    {
        final long start = System.nanoTime();
        final long deadline = start + settings.catchUpTimeout().toNanos();
        try
        {
            connect(remaining(deadline));
            catchUp(deadline);
            if (rows.isEmpty())
            {
                emptyAtStart();
            }
        }
        catch (final InterruptException e)
        {
            throw interrupted(e);
        }
        catch (final LookupException | KafkaException e)
        {
            final LookupException why = e instanceof LookupException l ? l : new LookupException(origin, 0, null,
                "cannot read the topic from brokers " + settings.brokers() + ": " + message(e), e);
            if (settings.required())
            {
                throw why;
            }
            startEmpty(why);
            return;
        }
        fixed = true;
        initial = snapshot();
        lastVersionNanos = System.nanoTime();
        LOG.info("lookup '{}': read {} records of topic {} in {} ms: {} keys, {} columns ({}){}", settings.name(),
            applied, settings.topic(), (System.nanoTime() - start) / 1_000_000, rows.size(), columns.size(),
            String.join(", ", columns), skippedNote());
    }

    /** No row at start: the declared columns are the table's, and they must be all of them. */
    private void emptyAtStart()
    {
        final Map<String, Field> declared = settings.declared();
        if (!declared.containsKey(settings.key()))
        {
            throw new LookupException(origin, 0, null, "the topic has no rows at start (" + applied + " records " +
                "read), so there is nothing to infer the columns from; declare all of them with their types in " +
                "'columns', the key '" + settings.key() + "' included (e.g. {" + settings.key() + ": long, tier: " +
                "string(12)}), or produce the rows first");
        }
        declared.keySet().forEach(c ->
        {
            if (!indexOf.containsKey(c))
            {
                addColumn(c);
            }
        });
    }

    /** {@code required: false} and the topic unreadable now: an empty table of the declared columns. */
    private void startEmpty(final LookupException why)
    {
        LOG.warn("lookup '{}': {}; starting with an empty table of the declared columns ({}) and reading the " +
            "topic as soon as it can be (required: false)", settings.name(), why.getMessage(),
            String.join(", ", settings.declared().keySet()));
        final List<String> names = new ArrayList<>();
        names.add(settings.key());
        for (final String c : settings.declared().keySet())
        {
            if (!c.equals(settings.key()))
            {
                names.add(c);
            }
        }
        // rows read before the failure are kept, under the declared columns, for the next version
        final List<String> before = new ArrayList<>(columns);
        columns.clear();
        indexOf.clear();
        names.forEach(this::addColumn);
        final BitSet textBefore = (BitSet)text.clone();
        text.clear();
        for (int c = 0; c < before.size(); c++)
        {
            final Integer now = indexOf.get(before.get(c));
            if (now != null && textBefore.get(c))
            {
                text.set(now);
            }
        }
        for (final Map.Entry<String, String[]> e : rows.entrySet())
        {
            final String[] old = e.getValue();
            final String[] values = new String[columns.size()];
            for (int c = 0; c < before.size() && c < old.length; c++)
            {
                final Integer now = indexOf.get(before.get(c));
                if (now != null)
                {
                    values[now] = old[c];
                }
            }
            e.setValue(values);
        }
        fixed = true;
        dirty = !rows.isEmpty();
        initial = new LookupRows(origin, "field", columns).keyedBy(settings.key(), settings.declared(), 0);
        lastVersionNanos = System.nanoTime() - settings.refresh().toNanos();
    }

    /** Creates the consumer (unless there is one), assigns every partition of the topic and seeks to its start. */
    private void connect(final Duration timeout) throws InterruptedException
    {
        try
        {
            if (consumer == null)
            {
                consumer = new KafkaConsumer<>(consumerProperties);
            }
            final List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(),
                min(timeout, METADATA_TIMEOUT));
            if (infos == null || infos.isEmpty())
            {
                throw new LookupException(origin, 0, null, "the topic does not exist on brokers " +
                    settings.brokers() + " (create it as a compacted topic: cleanup.policy=compact)");
            }
            final List<TopicPartition> parts = new ArrayList<>();
            infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            parts.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            partitions = parts;
        }
        catch (final TimeoutException e)
        {
            throw new LookupException(origin, 0, null, "cannot read the topic's partitions from brokers " +
                settings.brokers() + " within " + min(timeout, METADATA_TIMEOUT).toSeconds() + " s (are the " +
                "brokers up and reachable?): " + e.getMessage(), e);
        }
        catch (final InterruptException e)
        {
            throw interrupted(e);
        }
        catch (final WakeupException e)
        {
            throw e;
        }
        catch (final KafkaException e)
        {
            throw new LookupException(origin, 0, null, "cannot read the topic from brokers " + settings.brokers() +
                ": " + message(e), e);
        }
    }

    /** Polls until every partition's position reaches its end offset as of now. */
    private void catchUp(final long deadline) throws InterruptedException
    {
        final Map<TopicPartition, Long> end;
        final Map<TopicPartition, Long> begin = new HashMap<>();
        try
        {
            end = consumer.endOffsets(partitions, remaining(deadline));
            for (final TopicPartition tp : partitions)
            {
                begin.put(tp, consumer.position(tp, remaining(deadline)));
            }
        }
        catch (final TimeoutException e)
        {
            throw new LookupException(origin, 0, null, "cannot read the topic's offsets from brokers " +
                settings.brokers() + " within catch_up_timeout " + settings.catchUpTimeout().toSeconds() + " s: " +
                e.getMessage(), e);
        }
        catch (final InterruptException e)
        {
            throw interrupted(e);
        }
        long total = 0;
        for (final TopicPartition tp : partitions)
        {
            total += Math.max(0, end.get(tp) - begin.get(tp));
        }
        long nextProgress = System.nanoTime() + PROGRESS_NANOS;
        while (true)
        {
            long read = 0;
            boolean behind = false;
            try
            {
                for (final TopicPartition tp : partitions)
                {
                    final long position = consumer.position(tp, remaining(deadline));
                    read += Math.max(0, Math.min(position, end.get(tp)) - begin.get(tp));
                    behind |= position < end.get(tp);
                }
            }
            catch (final TimeoutException e)
            {
                throw notCaughtUp(read, total, e);
            }
            catch (final InterruptException e)
            {
                throw interrupted(e);
            }
            if (!behind)
            {
                return;
            }
            final long now = System.nanoTime();
            if (now - deadline >= 0)
            {
                throw notCaughtUp(read, total, null);
            }
            if (now - nextProgress >= 0)
            {
                LOG.info("lookup '{}': read {} of {} records of topic {}", settings.name(), read, total,
                    settings.topic());
                nextProgress = now + PROGRESS_NANOS;
            }
            try
            {
                apply(poll(min(CATCH_UP_POLL, remaining(deadline))));
            }
            catch (final InterruptedException | WakeupException e)
            {
                throw e;
            }
            catch (final KafkaException e)
            {
                throw new LookupException(origin, 0, null, "cannot read the topic from brokers " +
                    settings.brokers() + " (read " + read + " of " + total + " records): " + message(e), e);
            }
        }
    }

    private LookupException notCaughtUp(final long read, final long total, final Throwable cause)
    {
        return new LookupException(origin, 0, null, "the read at start did not reach the topic's end within " +
            "catch_up_timeout " + settings.catchUpTimeout().toSeconds() + " s: read " + read + " of " + total +
            " records from brokers " + settings.brokers() + " (raise catch_up_timeout, or check the brokers" +
            (cause == null ? "" : ": " + cause.getMessage()) + ")", cause);
    }

    private ConsumerRecords<byte[], byte[]> poll(final Duration timeout) throws InterruptedException
    {
        try
        {
            return consumer.poll(timeout);
        }
        catch (final InterruptException e)
        {
            throw interrupted(e);
        }
    }

    private static InterruptedException interrupted(final InterruptException e)
    {
        Thread.interrupted(); // InterruptException set the flag again; an InterruptedException says it instead
        final InterruptedException out = new InterruptedException("interrupted while reading the lookup topic");
        out.initCause(e);
        return out;
    }

    /** @return whether the map changed. */
    private boolean apply(final ConsumerRecords<byte[], byte[]> records)
    {
        if (!records.isEmpty())
        {
            lastHeardNanos = System.nanoTime();
        }
        boolean changed = false;
        for (final ConsumerRecord<byte[], byte[]> r : records)
        {
            changed |= apply(r);
        }
        dirty |= changed;
        return changed;
    }

    private boolean apply(final ConsumerRecord<byte[], byte[]> r)
    {
        applied++;
        final String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (key == null || key.isEmpty())
        {
            nullKeys++;
            skipped(r, "it has no key (a " + (key == null ? "null" : "empty") + " record key); every row needs " +
                "its key '" + settings.key() + "' as the record key");
            return false;
        }
        if (r.value() == null)
        {
            return rows.remove(key) != null;
        }
        final Object value;
        try
        {
            value = JsonTree.parse(r.value());
        }
        catch (final IllegalArgumentException e)
        {
            notObjects++;
            skipped(r, "its value is not JSON (" + e.getMessage() + "); each value must be one JSON object, the row");
            return false;
        }
        if (!(value instanceof Map<?, ?> object))
        {
            notObjects++;
            skipped(r, "its value is " + describe(value) + ", not a JSON object; each value must be one JSON " +
                "object, the row");
            return false;
        }
        String[] values = new String[columns.size()];
        values[0] = key;
        for (final Map.Entry<?, ?> e : object.entrySet())
        {
            final String field = (String)e.getKey();
            if (field.equals(settings.key()))
            {
                continue; // the record key wins
            }
            Integer index = indexOf.get(field);
            if (index == null)
            {
                if (fixed)
                {
                    if (leftOut.add(field))
                    {
                        LOG.warn("lookup '{}': topic {} partition {} offset {}: field '{}' was not in the records " +
                            "read at start, so it is not a column of the table; it is left out (columns: {})",
                            settings.name(), r.topic(), r.partition(), r.offset(), field, String.join(", ", columns));
                    }
                    continue;
                }
                index = addColumn(field);
                values = Arrays.copyOf(values, columns.size());
            }
            values[index] = text(e.getValue(), index);
        }
        final String[] previous = rows.put(key, values);
        return previous == null || !Arrays.equals(previous, values);
    }

    private int addColumn(final String name)
    {
        final int index = columns.size();
        columns.add(name);
        indexOf.put(name, index);
        return index;
    }

    /** @return a JSON value as the lookup takes it: strings as their text (empty: NULL), nested values as JSON. */
    private String text(final Object v, final int column)
    {
        if (v == JsonTree.NULL)
        {
            return null;
        }
        if (v instanceof String s)
        {
            text.set(column);
            return s.isEmpty() ? null : s;
        }
        if (v instanceof JsonTree.Number n)
        {
            return n.text();
        }
        if (v instanceof Boolean b)
        {
            return b.toString();
        }
        text.set(column);
        final StringBuilder sb = new StringBuilder();
        writeJson(sb, v);
        return sb.toString();
    }

    private static void writeJson(final StringBuilder sb, final Object v)
    {
        if (v instanceof Map<?, ?> m)
        {
            sb.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> e : m.entrySet())
            {
                if (!first)
                {
                    sb.append(',');
                }
                first = false;
                writeString(sb, (String)e.getKey());
                sb.append(':');
                writeJson(sb, e.getValue());
            }
            sb.append('}');
        }
        else if (v instanceof List<?> l)
        {
            sb.append('[');
            for (int i = 0; i < l.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                writeJson(sb, l.get(i));
            }
            sb.append(']');
        }
        else if (v instanceof String s)
        {
            writeString(sb, s);
        }
        else if (v instanceof JsonTree.Number n)
        {
            sb.append(n.text());
        }
        else
        {
            sb.append(v); // true, false, null
        }
    }

    private static void writeString(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static String describe(final Object v)
    {
        if (v instanceof List<?>)
        {
            return "an array";
        }
        if (v instanceof String)
        {
            return "a string";
        }
        if (v instanceof JsonTree.Number)
        {
            return "a number";
        }
        if (v instanceof Boolean)
        {
            return "a boolean";
        }
        return "null";
    }

    private void skipped(final ConsumerRecord<byte[], byte[]> r, final String why)
    {
        final long skipped = notObjects + nullKeys;
        if ((skipped - 1) % WARN_EVERY == 0)
        {
            LOG.warn("lookup '{}': topic {} partition {} offset {}: record skipped: {} ({} skipped so far; logged " +
                "once per {})", settings.name(), r.topic(), r.partition(), r.offset(), why, skipped, WARN_EVERY);
        }
    }

    private String skippedNote()
    {
        if (notObjects + nullKeys == 0)
        {
            return "";
        }
        final List<String> parts = new ArrayList<>();
        if (notObjects > 0)
        {
            parts.add(notObjects + " whose value is not a JSON object");
        }
        if (nullKeys > 0)
        {
            parts.add(nullKeys + " without a key");
        }
        return "; skipped " + String.join(" and ", parts) + " (see the warnings above)";
    }

    /** @return the whole map as a new version (rows shared, never changed in place). */
    private LookupRows snapshot()
    {
        final LookupRows out = new LookupRows(origin, "field", columns);
        for (int c = text.nextSetBit(0); c >= 0; c = text.nextSetBit(c + 1))
        {
            out.markText(c);
        }
        int line = 0;
        for (final String[] values : rows.values())
        {
            out.add(values, ++line);
        }
        return out.keyedBy(settings.key(), settings.declared(), 0);
    }

    @Override
    public LookupRows initial()
    {
        return initial;
    }

    @Override
    public boolean live()
    {
        return true;
    }

    /**
     * Polls the topic for up to {@code wait} and applies what it reads.
     *
     * @return the whole map when it changed and {@code refresh} has passed since the last version, else null.
     * @throws InterruptedException when the refresh thread is interrupted (the engine stops it so).
     * @throws LookupException when the topic cannot be read now (a {@code required: false} lookup not yet connected).
     */
    @Override
    public LookupRows next(final Duration wait) throws Exception
    {
        synchronized (state)
        {
            if (closed)
            {
                return null;
            }
            busy = true;
        }
        try
        {
            return poll(wait, System.nanoTime() + wait.toNanos());
        }
        catch (final WakeupException e)
        {
            synchronized (state)
            {
                if (closed)
                {
                    return null;
                }
            }
            throw e;
        }
        finally
        {
            final boolean close;
            synchronized (state)
            {
                busy = false;
                close = closed;
            }
            if (close)
            {
                closeConsumer();
            }
        }
    }

    private LookupRows poll(final Duration wait, final long deadline) throws InterruptedException
    {
        if (partitions == null)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            connect(wait.compareTo(LATE_METADATA_TIMEOUT) < 0 ? LATE_METADATA_TIMEOUT : wait);
            LOG.info("lookup '{}': topic {} is readable now; reading it from its start", settings.name(),
                settings.topic());
        }
        checkReachable();
        while (true)
        {
            final long now = System.nanoTime();
            final long due = lastVersionNanos + settings.refresh().toNanos() - now;
            if (dirty && due <= 0)
            {
                dirty = false;
                lastVersionNanos = now;
                return snapshot();
            }
            final long left = deadline - now;
            if (left <= 0)
            {
                return null;
            }
            apply(poll(Duration.ofNanos(dirty ? Math.min(left, due) : left)));
        }
    }

    /** After a silence, asks the brokers for the end offsets: unreachable brokers fail this refresh. */
    private void checkReachable()
    {
        final long now = System.nanoTime();
        if (now - lastHeardNanos < REACH_CHECK_NANOS)
        {
            return;
        }
        try
        {
            consumer.endOffsets(partitions, LATE_METADATA_TIMEOUT);
            lastHeardNanos = now;
        }
        catch (final org.apache.kafka.common.errors.TimeoutException e)
        {
            throw new IllegalStateException(origin + ": the brokers did not answer within " +
                LATE_METADATA_TIMEOUT.toSeconds() + " s (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String describe()
    {
        return "topic " + settings.topic() + " on " + settings.brokers() + ", kept current (refresh " +
            settings.refreshText() + ")";
    }

    /** @return records skipped so far: values that are not a JSON object, and records without a key. */
    long skipped()
    {
        return notObjects + nullKeys;
    }

    @Override
    public void close()
    {
        synchronized (state)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (busy)
            {
                final KafkaConsumer<byte[], byte[]> c = consumer;
                if (c != null)
                {
                    c.wakeup(); // the refresh thread closes it when its poll returns
                }
                return;
            }
        }
        closeConsumer();
    }

    private void closeConsumer()
    {
        final KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null)
        {
            try
            {
                c.close();
            }
            catch (final RuntimeException e)
            {
                LOG.debug("lookup '{}': closing the consumer: {}", settings.name(), e.toString());
            }
        }
    }

    private static Duration remaining(final long deadline)
    {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static Duration min(final Duration a, final Duration b)
    {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String message(final Throwable e)
    {
        Throwable t = e;
        final StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t)
        {
            t = t.getCause();
            sb.append(": ").append(t.getMessage());
        }
        return sb.toString();
    }
}
