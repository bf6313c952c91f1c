package dev.dataforge.connectors.kafka;

import dev.dataforge.codec.JsonTranscoder;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.spi.RecordDecoder;
import dev.dataforge.core.spi.RecordPublisher;
import dev.dataforge.core.spi.Source;
import org.agrona.MutableDirectBuffer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;

/**
 * Polls a topic and moves its records into ring slots on the source thread. When the ring is full the record in
 * hand is kept, every assigned partition is paused (so the consumer stops fetching and memory stays bounded), and
 * the partitions resume once the kept records are in. Per-partition order is the order of the ring.
 * <p>
 * Offsets are not committed here: the engine owns positions (the sink's checkpoints); see the README.
 */
final class KafkaSource implements Source
{
    private static final long KEEP_ALIVE_NANOS = 1_000_000_000L;
    private static final long LAG_EVERY_NANOS = 1_000_000_000L;

    private final Properties properties;
    private final List<String> topics;
    private final String topic;
    private final boolean sbe;
    private final RecordLayout layout;
    private final JsonTranscoder transcoder;
    private final Duration pollTimeout;
    private final Embedded embedded;
    private final String pipeline;
    private final boolean deadLetterNewFields;
    private final long maxRecordBytes;
    private final java.util.concurrent.atomic.AtomicLong newFields = new java.util.concurrent.atomic.AtomicLong();
    private final List<String> required;
    private final boolean decodeOnProcess;
    private dev.dataforge.core.spi.PartitionListener partitionListener;
    private volatile java.util.Map<Integer, Long> lag = java.util.Map.of();
    private long lagNanos;
    private KafkaGroups.Group group;
    private EmbeddedKafka broker;
    private LoadProducer load;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Iterator<ConsumerRecord<byte[], byte[]>> records;
    private ConsumerRecord<byte[], byte[]> inHand;
    private boolean paused;
    private long lastPollNanos;

    /** Settings of {@code brokers: embedded}. */
    record Embedded(long rate, int partitions)
    {
    }

    KafkaSource(final Properties properties, final List<String> topics, final boolean sbe, final List<String> required,
        final Duration pollTimeout, final RecordLayout layout, final Embedded embedded, final String pipeline,
        final boolean deadLetterNewFields, final long maxRecordBytes, final boolean decodeOnProcess)
    {
        this.required = List.copyOf(required);
        this.decodeOnProcess = decodeOnProcess;
        this.deadLetterNewFields = deadLetterNewFields;
        this.maxRecordBytes = maxRecordBytes;
        this.pipeline = pipeline;
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
        if (embedded != null)
        {
            broker = new EmbeddedKafka();
            for (final String t : topics)
            {
                broker.createTopic(t, embedded.partitions());
            }
            p.put("bootstrap.servers", broker.bootstrapServers());
            load = new LoadProducer(broker.bootstrapServers(), topics.get(0), embedded.rate(), 42).start();
            org.slf4j.LoggerFactory.getLogger(KafkaSource.class).info("embedded Kafka broker on {}, topic {} fed " +
                "with {} generated events/s", broker.bootstrapServers(), topics.get(0), embedded.rate() == 0 ? "unbounded" :
                embedded.rate());
        }
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.putIfAbsent("auto.offset.reset", "earliest");
        p.putIfAbsent("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(p);
        group = KafkaGroups.register(pipeline, topics, p.getProperty("bootstrap.servers"));
        consumer.subscribe(topics, new ConsumerRebalanceListener()
        {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
            {
                if (partitionListener != null && !partitions.isEmpty())
                {
                    partitionListener.revoked(indexes(partitions));
                }
                // records in hand of revoked partitions will be read again by their new owner
                if (inHand != null && partitions.contains(new TopicPartition(inHand.topic(), inHand.partition())))
                {
                    inHand = null;
                    records = null;
                }
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
            {
                // a new generation: a Kafka sink commits this source's offsets under it (sendOffsetsToTransaction)
                group.metadata = consumer.groupMetadata();
                if (partitionListener != null && !partitions.isEmpty())
                {
                    partitionListener.assigned(indexes(partitions), (p, offset) ->
                        consumer.seek(group.partition(p), offset));
                }
                if (paused)
                {
                    consumer.pause(partitions);
                }
            }
        });
    }

    @Override
    public int poll(final RecordPublisher publisher, final int limit)
    {
        if (inHand == null && (records == null || !records.hasNext()))
        {
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
            final int base = publisher.tryClaim();
            if (base == RecordPublisher.NO_SLOT)
            {
                inHand = r;
                backPressure();
                break;
            }
            inHand = null;
            write(publisher, base, r);
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
        final java.util.Map<Integer, Long> now = new java.util.TreeMap<>();
        for (final TopicPartition tp : consumer.assignment())
        {
            final java.util.OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent())
            {
                now.put(partitionIndex(tp.topic(), tp.partition()), l.getAsLong());
            }
        }
        lag = java.util.Collections.unmodifiableMap(now);
    }

    @Override
    public java.util.Map<Integer, Long> lag()
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

    private void write(final RecordPublisher publisher, final int base, final ConsumerRecord<byte[], byte[]> r)
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
            deadLetter(publisher, base, value, "record of " + value.length + " bytes is over max_record_bytes (" +
                maxRecordBytes + ")");
            return;
        }
        if (sbe)
        {
            if (value.length != layout.recordLength() || uint16(value, 2) != layout.templateId() ||
                uint16(value, 4) != layout.schemaId())
            {
                deadLetter(publisher, base, value, "not a " + layout.messageName() + " SBE record of " +
                    layout.recordLength() + " bytes (template " + layout.templateId() + ", schema " +
                    layout.schemaId() + ")");
                return;
            }
            slot.putBytes(base, value);
            publisher.publish();
            return;
        }
        if (decodeOnProcess && value.length <= publisher.slotCapacity())
        {
            // the process stage transcodes (RawDecoder): this thread only copies the bytes
            slot.putBytes(base, value);
            publisher.publishRaw(value.length);
            return;
        }
        final String reason = json(transcoder, value, value.length, slot, base, partition, r.offset());
        if (reason == null)
        {
            publisher.publish();
            return;
        }
        deadLetter(publisher, base, value, reason);
    }

    /**
     * Transcodes a JSON record into the slot and applies the new-field policy.
     *
     * @param partition the record's partition number (as in checkpoints), and {@code offset} its position: named
     * only when a new field is reported.
     * @return null when the record is in the slot, else why it is to be dead-lettered.
     */
    private String json(final JsonTranscoder t, final byte[] in, final int length, final MutableDirectBuffer slot,
        final int base, final int partition, final long offset)
    {
        if (t.transcode(in, 0, length, slot, base) != JsonTranscoder.OK)
        {
            return t.error();
        }
        if (t.unknownFields() > 0)
        {
            if (t.unknownFieldIsNew())
            {
                newFields.incrementAndGet();
                final TopicPartition tp = KafkaGroups.partition(topics, partition);
                org.slf4j.LoggerFactory.getLogger(KafkaSource.class).warn("topic {} partition {} offset {}: " +
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
     * its own; a refused record's original bytes are put back into the slot for the dead-letter queue.
     */
    private final class RawDecoder implements RecordDecoder
    {
        private final JsonTranscoder t = new JsonTranscoder(layout, required);
        private final byte[] scratch = new byte[layout.recordLength()];

        @Override
        public String decode(final MutableDirectBuffer buffer, final int base, final int length, final int partition,
            final long offset)
        {
            buffer.getBytes(base, scratch, 0, length);
            final String reason = json(t, scratch, length, buffer, base, partition, offset);
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
    public void partitionListener(final dev.dataforge.core.spi.PartitionListener listener)
    {
        this.partitionListener = listener;
    }

    private List<Integer> indexes(final Collection<TopicPartition> partitions)
    {
        final List<Integer> out = new java.util.ArrayList<>(partitions.size());
        for (final TopicPartition tp : partitions)
        {
            out.add(partitionIndex(tp.topic(), tp.partition()));
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** @return the partition's number in checkpoints and metrics: itself, or with several topics index * 1000 + it. */
    private int partitionIndex(final String recordTopic, final int partition)
    {
        if (topics.size() == 1)
        {
            return partition;
        }
        if (partition >= KafkaGroups.PARTITIONS_PER_TOPIC)
        {
            throw new IllegalStateException("topic " + recordTopic + " has a partition " + partition + ": reading " +
                "several topics supports up to " + KafkaGroups.PARTITIONS_PER_TOPIC + " partitions each");
        }
        for (int i = 0; i < topics.size(); i++)
        {
            if (topics.get(i).equals(recordTopic))
            {
                return i * KafkaGroups.PARTITIONS_PER_TOPIC + partition;
            }
        }
        throw new IllegalStateException("record of topic " + recordTopic + ", not one of " + topics);
    }

    /** Keeps the original bytes for the dead-letter queue: in the slot, or whole beside it when they do not fit. */
    private static void deadLetter(final RecordPublisher publisher, final int base, final byte[] value,
        final String reason)
    {
        if (value.length > publisher.slotCapacity())
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
        return "kafka topic " + topic + (sbe ? " (sbe)" : " (json)") + (broker != null ? " on the embedded broker " +
            broker.bootstrapServers() : "");
    }

    @Override
    public void close() throws Exception
    {
        if (group != null)
        {
            KafkaGroups.unregister(pipeline, group);
        }
        try
        {
            if (consumer != null)
            {
                updateLag();
                consumer.close(Duration.ofSeconds(5));
                consumer = null;
            }
        }
        finally
        {
            if (load != null)
            {
                load.close();
            }
            if (broker != null)
            {
                broker.close();
            }
        }
    }
}
