package dev.dataforge.connectors.kafka;

import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.api.source.PartitionListener;
import dev.dataforge.api.source.RecordDecoder;
import dev.dataforge.api.source.Source;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.codec.JsonTranscoder;
import dev.dataforge.codec.RecordLayout;
import org.agrona.MutableDirectBuffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls a topic and moves its records into ring slots on the source thread. When the ring is full the record in
 * hand is kept, every assigned partition is paused (so the consumer stops fetching and memory stays bounded), and
 * the partitions resume once the kept records are in. Per-partition order is the order of the ring.
 * <p>
 * Positions are the engine's: at every assignment the engine's recovery claims the partitions in the sink and seeks
 * each after its checkpoint ({@code start} where there is none; {@code on_topic_reset} when the checkpoint is of a
 * topic since deleted and created again). Records of a partition revoked meanwhile are skipped, those of partitions
 * kept are not. The consumer group's committed offsets are only a lag hint, committed after the sink commits.
 */
final class KafkaSource implements Source, KafkaSourceGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final long KEEP_ALIVE_NANOS = 1_000_000_000L;
    private static final long LAG_EVERY_NANOS = 1_000_000_000L;
    /** The consumer's {@code max.poll.records} unless {@code properties} set it. */
    static final String DEFAULT_MAX_POLL_RECORDS = "256";

    private final Properties properties;
    private final List<String> topics;
    private final String topic;
    private final boolean sbe;
    private final RecordLayout layout;
    private final JsonTranscoder transcoder;
    private final Duration pollTimeout;
    private final AutoCloseable embedded;
    private final boolean deadLetterNewFields;
    private final long maxRecordBytes;
    private final AtomicLong newFields = new AtomicLong();
    private final List<String> required;
    private final boolean decodeOnProcess;
    private PartitionListener partitionListener;
    private volatile Map<Integer, Long> lag = Map.of();
    private volatile ConsumerGroupMetadata groupMetadata;
    private long lagNanos;
    private boolean endAtCurrentEnd;
    private Map<TopicPartition, Long> endOffsets;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Iterator<ConsumerRecord<byte[], byte[]>> records;
    private ConsumerRecord<byte[], byte[]> inHand;
    private boolean paused;
    private long lastPollNanos;
    private final boolean startAtLatest;
    private final boolean resetRecreatedTopics;
    private boolean[] owned = new boolean[16];
    private int ownedCount;
    private volatile Map<String, String> topicIds = Map.of();
    private Admin admin;

    /**
     * @param properties consumer properties, bootstrap servers and group included.
     * @param embedded   the embedded cluster the source reads ({@code brokers: embedded}), closed after the consumer;
     *                   null for a real one.
     * @param startAtLatest a partition without a checkpoint starts at its end ({@code start: latest}), else at its
     *                   beginning.
     * @param resetRecreatedTopics a partition whose checkpoint is of an earlier incarnation of its topic starts at its
     *                   beginning ({@code on_topic_reset: earliest}), else the pipeline stops.
     */
    KafkaSource(final Properties properties, final List<String> topics, final boolean sbe, final List<String> required,
        final Duration pollTimeout, final RecordLayout layout, final AutoCloseable embedded,
        final boolean deadLetterNewFields, final long maxRecordBytes, final boolean decodeOnProcess,
        final boolean startAtLatest, final boolean resetRecreatedTopics)
    {
        this.startAtLatest = startAtLatest;
        this.resetRecreatedTopics = resetRecreatedTopics;
        this.required = List.copyOf(required);
        this.decodeOnProcess = decodeOnProcess;
        this.deadLetterNewFields = deadLetterNewFields;
        this.maxRecordBytes = maxRecordBytes;
        this.embedded = embedded;
        this.properties = properties;
        this.topics = List.copyOf(topics);
        this.topic = String.join(",", topics);
        this.sbe = sbe;
        this.layout = layout;
        this.pollTimeout = pollTimeout;
        this.transcoder = new JsonTranscoder(layout, required);
    }

    @Override
    public void open() throws Exception
    {
        final Properties p = new Properties();
        p.putAll(properties);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.putIfAbsent("auto.offset.reset", "earliest");
        p.putIfAbsent("isolation.level", "read_committed");
        // records of one poll are parsed before the first is handed on: a small poll is still in the cache when the
        // source copies its records into the ring (Kafka source → blackhole, SBE: 0.64 of a bare consumer at 5000
        // records a poll, 0.70 at Kafka's 500, 0.75 at 256 and 128, 0.64 at 48 where the poll's own cost shows)
        p.putIfAbsent("max.poll.records", DEFAULT_MAX_POLL_RECORDS);
        p.putIfAbsent("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        final Properties a = new Properties();
        a.putAll(properties);
        a.remove("group.id");
        admin = Admin.create(a);
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics, new ConsumerRebalanceListener()
        {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
            {
                // records of these partitions still polled are skipped: their new owner reads them again
                final List<Integer> numbers = indexes(partitions);
                for (final int n : numbers)
                {
                    own(n, false);
                }
                dropPolled(partitions);
                hinted.keySet().removeAll(partitions); // another owner may move their group offsets meanwhile
                groupMetadata = consumer.groupMetadata();
                if (partitionListener != null && !partitions.isEmpty())
                {
                    partitionListener.revoked(numbers);
                }
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
            {
                // a new generation: a Kafka sink commits this source's offsets under it (sendOffsetsToTransaction)
                groupMetadata = consumer.groupMetadata();
                if (partitions.isEmpty())
                {
                    return;
                }
                refreshTopicIds();
                final List<Integer> numbers = indexes(partitions);
                try
                {
                    partitionListener.assigned(numbers, seeker);
                }
                catch (final RuntimeException e)
                {
                    throw e;
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException("cannot resume partitions " + partitions + ": " +
                        e.getMessage(), e);
                }
                for (final int n : numbers)
                {
                    own(n, true);
                }
                if (endAtCurrentEnd)
                {
                    // mode: batch: a partition is read up to its end as of its first assignment
                    for (final Map.Entry<TopicPartition, Long> e : consumer.endOffsets(partitions).entrySet())
                    {
                        endOffsets.putIfAbsent(e.getKey(), e.getValue());
                    }
                }
                if (paused)
                {
                    consumer.pause(partitions);
                }
            }
        });
    }

    /**
     * Forgets the records of {@code revoked} polled but not yet published (a revocation inside the keep-alive poll
     * of a full ring): should the partitions come back in a later poll, recovery seeks them to their checkpoints and
     * the consumer fetches those records again; published as well, they would go twice.
     */
    private void dropPolled(final Collection<TopicPartition> revoked)
    {
        int dropped = 0;
        if (inHand != null && revoked.contains(new TopicPartition(inHand.topic(), inHand.partition())))
        {
            inHand = null;
            dropped++;
        }
        if (records != null && records.hasNext())
        {
            final List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
            while (records.hasNext())
            {
                final ConsumerRecord<byte[], byte[]> r = records.next();
                if (revoked.contains(new TopicPartition(r.topic(), r.partition())))
                {
                    dropped++;
                }
                else
                {
                    kept.add(r);
                }
            }
            records = kept.iterator();
        }
        if (dropped > 0)
        {
            LOG.info("{} records of revoked partitions polled but not yet published are dropped", dropped);
        }
    }

    /** Where recovery places assigned partitions. */
    private final PartitionListener.Seeker seeker = new PartitionListener.Seeker()
    {
        @Override
        public void seek(final int partition, final long offset)
        {
            consumer.seek(topicPartition(partition), offset);
        }

        @Override
        public void seekToStart(final int partition)
        {
            if (startAtLatest)
            {
                consumer.seekToEnd(List.of(topicPartition(partition)));
            }
            else
            {
                consumer.seekToBeginning(List.of(topicPartition(partition)));
            }
        }

        @Override
        public void recreated(final int partition, final String checkpointedId)
        {
            final TopicPartition tp = topicPartition(partition);
            final String message = "topic " + tp.topic() + " was deleted and created again: the checkpoint of " +
                "partition " + tp.partition() + " is of topic id " + checkpointedId + ", the topic's id is now " +
                topicIds.get(tp.topic());
            if (!resetRecreatedTopics)
            {
                throw new IllegalStateException(message + "; on_topic_reset: fail stops here (set on_topic_reset: " +
                    "earliest to read the new topic from its beginning)");
            }
            LOG.warn("{}; reading it from its beginning (on_topic_reset: earliest)", message);
            consumer.seekToBeginning(List.of(tp));
        }
    };

    private void own(final int partition, final boolean yes)
    {
        if (partition >= owned.length)
        {
            owned = Arrays.copyOf(owned, Math.max(partition + 1, owned.length * 2));
        }
        if (owned[partition] != yes)
        {
            owned[partition] = yes;
            ownedCount += yes ? 1 : -1;
        }
    }

    private boolean owns(final int partition)
    {
        return partition < owned.length && owned[partition];
    }

    /** Reads the topics' ids (a topic deleted and created again has a new one). */
    private void refreshTopicIds()
    {
        try
        {
            final Map<String, String> ids = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                .forEach((name, d) -> ids.put(name, d.topicId().toString()));
            topicIds = Map.copyOf(ids);
        }
        catch (final Exception e)
        {
            LOG.warn("cannot read the ids of topics {} ({}); recreated topics are not detected until it can",
                topics, e.toString());
        }
    }

    @Override
    public boolean assigned()
    {
        return ownedCount > 0;
    }

    /** Lag hints the group took, by partition: what {@link #committed} need not send again. */
    private final Map<TopicPartition, Long> hinted = new HashMap<>();

    /** Commits the sink's positions to the consumer group: a lag hint for standard tools, never read back. */
    @Override
    public void committed(final Map<Integer, Long> lastOffsets)
    {
        if (consumer == null || lastOffsets.isEmpty())
        {
            return;
        }
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lastOffsets.forEach((p, offset) ->
        {
            final TopicPartition tp = topicPartition(p);
            final Long acked = hinted.get(tp);
            if (owns(p) && (acked == null || acked != offset + 1))
            {
                offsets.put(tp, new OffsetAndMetadata(offset + 1));
            }
        });
        if (!offsets.isEmpty())
        {
            // the callback runs on this thread, in a later poll: a hint the group did not take (a rebalance under
            // way, a partition just moved) is not marked, and is sent again with the next
            consumer.commitAsync(offsets, (done, failure) ->
            {
                if (failure != null)
                {
                    LOG.debug("lag hint not committed, sent again: {}", failure.toString());
                    return;
                }
                done.forEach((tp, o) -> hinted.put(tp, o.offset()));
            });
        }
    }

    @Override
    public int poll(final EventPublisher publisher, final int limit)
    {
        if (inHand == null && (records == null || !records.hasNext()))
        {
            if (endAtCurrentEnd && drained())
            {
                return END;
            }
            if (paused)
            {
                consumer.resume(consumer.paused());
                paused = false;
            }
            final ConsumerRecords<byte[], byte[]> batch = consumer.poll(pollTimeout);
            lastPollNanos = System.nanoTime();
            records = batch.iterator();
            if (lastPollNanos - lagNanos > LAG_EVERY_NANOS)
            {
                updateLag();
                lagNanos = lastPollNanos;
            }
        }
        int published = 0;
        while (published < limit)
        {
            final ConsumerRecord<byte[], byte[]> r = inHand != null ? inHand : records != null && records.hasNext() ?
                records.next() : null;
            if (r == null)
            {
                break;
            }
            if (!owns(partitionIndex(r.topic(), r.partition())) || endAtCurrentEnd && beyondEnd(r))
            {
                inHand = null; // revoked (its new owner reads it), or past the end of a batch run
                continue;
            }
            final int room = room(publisher, r.value());
            final int base = publisher.tryClaim(room);
            if (base == EventPublisher.NO_SLOT)
            {
                inHand = r;
                backPressure();
                break;
            }
            inHand = null;
            write(publisher, base, room, r);
            published++;
        }
        return published;
    }

    /**
     * Snapshots the lag of every assigned partition from what the consumer already knows (the high watermark of its
     * last fetch; no request to the broker); records polled but not yet in the ring count as read. Once a second.
     */
    private void updateLag()
    {
        final Map<Integer, Long> now = new TreeMap<>();
        for (final TopicPartition tp : consumer.assignment())
        {
            final OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent())
            {
                now.put(partitionIndex(tp.topic(), tp.partition()), l.getAsLong());
            }
        }
        lag = Collections.unmodifiableMap(now);
    }

    @Override
    public Map<Integer, Long> lag()
    {
        return lag;
    }

    @Override
    public long newFields()
    {
        return newFields.get();
    }

    private void backPressure()
    {
        if (!paused)
        {
            consumer.pause(consumer.assignment());
            paused = true;
        }
        if (System.nanoTime() - lastPollNanos > KEEP_ALIVE_NANOS)
        {
            // paused partitions fetch nothing; polling keeps this member in the group
            final ConsumerRecords<byte[], byte[]> none = consumer.poll(Duration.ZERO);
            lastPollNanos = System.nanoTime();
            updateLag();
            if (!none.isEmpty())
            {
                throw new IllegalStateException("records arrived from paused partitions");
            }
        }
    }

    /**
     * @return the room a record takes in the ring: a JSON record's raw bytes (decoded on the process stage, in place)
     * or its decoded form, whichever is longer; a decoded record's variable data is never longer than its JSON text,
     * so the fixed part plus the text always holds it. A record the ring cannot take whole is dead-lettered, and
     * takes the default room.
     */
    private int room(final EventPublisher publisher, final byte[] value)
    {
        final long needed = needed(value);
        return needed > publisher.maxClaim() ? Math.max(layout.recordLength(), publisher.slotCapacity()) :
            (int)needed;
    }

    /** @return the room {@code value} needs whole (see {@link #room}); the fixed record for one not taken as is. */
    private long needed(final byte[] value)
    {
        final int fixed = layout.recordLength();
        if (value == null || value.length > maxRecordBytes || sbe && !layout.isVariable())
        {
            return fixed;
        }
        return sbe ? Math.max(fixed, value.length) : layout.isVariable() ? (long)fixed + value.length :
            decodeOnProcess ? Math.max(fixed, value.length) : fixed;
    }

    private void write(final EventPublisher publisher, final int base, final int room,
        final ConsumerRecord<byte[], byte[]> r)
    {
        final MutableDirectBuffer slot = publisher.buffer();
        final byte[] value = r.value();
        final int partition = partitionIndex(r.topic(), r.partition());
        publisher.sourcePosition(partition, r.offset());
        if (value == null)
        {
            publisher.publishDeadLetter(0, "empty record (null value)");
            return;
        }
        if (value.length > maxRecordBytes)
        {
            deadLetter(publisher, base, room, value, "record of " + value.length + " bytes is over " +
                "max_record_bytes (" + maxRecordBytes + ")");
            return;
        }
        if (needed(value) > room)
        {
            deadLetter(publisher, base, room, value, "record of " + value.length + " bytes is more than the ring " +
                "takes in one claim (" + publisher.maxClaim() + " bytes: half of runtime 'ring_bytes')");
            return;
        }
        if (sbe)
        {
            // a record of a layout with variable fields says its own length (fixed part and variable data)
            final boolean length = layout.isVariable() ? value.length >= layout.recordLength() &&
                (value[8] & 0xFF | (value[9] & 0xFF) << 8 | (value[10] & 0xFF) << 16 | (value[11] & 0xFF) << 24) ==
                value.length : value.length == layout.recordLength();
            if (!length || uint16(value, 2) != layout.templateId() || uint16(value, 4) != layout.schemaId() ||
                uint16(value, 6) != (layout.version() & 0xFFFF))
            {
                deadLetter(publisher, base, room, value, "not a " + layout.messageName() + " SBE record of " +
                    (layout.isVariable() ? "at least " : "") + layout.recordLength() + " bytes (template " +
                    layout.templateId() + ", schema " + layout.schemaId() + ", version " + layout.version() + ")");
                return;
            }
            slot.putBytes(base, value);
            publisher.publish();
            return;
        }
        if (decodeOnProcess)
        {
            // the process stage transcodes (RawDecoder): this thread only copies the bytes
            slot.putBytes(base, value);
            publisher.publishRaw(value.length);
            return;
        }
        final String reason = json(transcoder, value, value.length, slot, base, room, partition, r.offset());
        if (reason == null)
        {
            publisher.publish();
            return;
        }
        deadLetter(publisher, base, room, value, reason);
    }

    /**
     * Transcodes a JSON record into the slot and applies the new-field policy.
     *
     * @param partition the record's partition number (as in checkpoints), and {@code offset} its position: named
     * only when a new field is reported.
     * @return null when the record is in the slot, else why it is to be dead-lettered.
     */
    private String json(final JsonTranscoder t, final byte[] in, final int length, final MutableDirectBuffer slot,
        final int base, final int room, final int partition, final long offset)
    {
        if (t.transcode(in, 0, length, slot, base, room) != JsonTranscoder.OK)
        {
            return t.error();
        }
        if (t.unknownFields() > 0)
        {
            if (t.unknownFieldIsNew())
            {
                newFields.incrementAndGet();
                final TopicPartition tp = topicPartition(partition);
                LOG.warn("topic {} partition {} offset {}: " +
                    "new field '{}' is not in the schema; {}", tp.topic(), tp.partition(), offset, t.unknownField(),
                    deadLetterNewFields ? "records holding it are dead-lettered (on_new_field: dead_letter)" :
                    "ignored (on_new_field: ignore)");
            }
            if (deadLetterNewFields)
            {
                return "field '" + t.unknownField() + "' is not in the schema (on_new_field: dead_letter)";
            }
        }
        return null;
    }

    /**
     * Transcodes the JSON records this source published raw, on the process stage's thread, with a transcoder of
     * its own; the original bytes of a record it cannot decode are put back into the slot for the dead-letter queue.
     */
    private final class RawDecoder implements RecordDecoder
    {
        private final JsonTranscoder t = new JsonTranscoder(layout, required);
        /** The raw record, copied out of the slot it is decoded into: as long as the longest raw record so far. */
        private byte[] scratch = new byte[Math.max(1024, layout.recordLength())];

        @Override
        public String decode(final MutableDirectBuffer buffer, final int base, final int length, final int partition,
            final long offset)
        {
            if (length > scratch.length)
            {
                // a raw record may fill its slot, which is longer than a decoded record (it was sized to the
                // record: a JSON record of a length between the two stopped the pipeline)
                scratch = new byte[Math.max(length, 2 * scratch.length)];
            }
            buffer.getBytes(base, scratch, 0, length);
            // the claim took the fixed part plus the raw length (see room()): all a decoded record can need
            final String reason = json(t, scratch, length, buffer, base, layout.recordLength() + length, partition,
                offset);
            if (reason != null)
            {
                buffer.putBytes(base, scratch, 0, length);
            }
            return reason;
        }
    }

    @Override
    public RecordDecoder decoder()
    {
        return sbe || !decodeOnProcess ? null : new RawDecoder();
    }

    /** @return the little-endian uint16 at {@code at} (SBE header fields). */
    private static int uint16(final byte[] b, final int at)
    {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    @Override
    public void partitionListener(final PartitionListener listener)
    {
        this.partitionListener = listener;
    }

    private List<Integer> indexes(final Collection<TopicPartition> partitions)
    {
        final List<Integer> out = new ArrayList<>(partitions.size());
        for (final TopicPartition tp : partitions)
        {
            out.add(partitionIndex(tp.topic(), tp.partition()));
        }
        Collections.sort(out);
        return out;
    }

    /** @return the partition's number in checkpoints and metrics (see {@link KafkaPartitions}). */
    private int partitionIndex(final String recordTopic, final int partition)
    {
        return KafkaPartitions.index(topics, recordTopic, partition);
    }

    /**
     * mode: batch: true once every assigned partition's position has reached its end as of its first assignment
     * (and there was an assignment).
     */
    private boolean drained()
    {
        if (endOffsets.isEmpty())
        {
            return false;
        }
        for (final TopicPartition tp : consumer.assignment())
        {
            final Long end = endOffsets.get(tp);
            if (end == null || consumer.position(tp) < end)
            {
                return false;
            }
        }
        return true;
    }

    /** mode: batch: true for a record written after its partition's end as of its first assignment. */
    private boolean beyondEnd(final ConsumerRecord<byte[], byte[]> r)
    {
        final Long end = endOffsets.get(new TopicPartition(r.topic(), r.partition()));
        return end != null && r.offset() >= end;
    }

    @Override
    public boolean endAtCurrentEnd()
    {
        endAtCurrentEnd = true;
        endOffsets = new HashMap<>();
        return true;
    }

    @Override
    public String brokers()
    {
        return properties.getProperty("bootstrap.servers");
    }

    @Override
    public TopicPartition topicPartition(final int partition)
    {
        return KafkaPartitions.of(topics, partition);
    }

    @Override
    public SourcePartition sourcePartition(final int partition)
    {
        final TopicPartition tp = topicPartition(partition);
        return new SourcePartition(tp.topic(), tp.partition(), topicIds.get(tp.topic()));
    }

    @Override
    public ConsumerGroupMetadata groupMetadata()
    {
        return groupMetadata;
    }

    /** Keeps the original bytes for the dead-letter queue: in the slot, or whole beside it when they do not fit. */
    private static void deadLetter(final EventPublisher publisher, final int base, final int room,
        final byte[] value, final String reason)
    {
        if (value.length > room)
        {
            publisher.publishDeadLetter(value, reason);
            return;
        }
        publisher.buffer().putBytes(base, value);
        publisher.publishDeadLetter(value.length, reason);
    }

    @Override
    public String describe()
    {
        return "kafka topic " + topic + (sbe ? " (sbe)" : " (json)") + (embedded != null ? " on the embedded broker " +
            brokers() : "");
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            if (consumer != null)
            {
                updateLag();
                consumer.close(Duration.ofSeconds(5));
                consumer = null;
            }
            if (admin != null)
            {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
        finally
        {
            if (embedded != null)
            {
                embedded.close();
            }
        }
    }
}
