package dev.dataforge.connectors.kafka;

import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.cli.Main;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded broker on a port chosen by the user ({@code ./run.sh kafka --port P}), transactions included. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedKafkaPortTest
{
    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    @Test
    void theBrokerIsReachedOnTheFixedPortAndTransactionsCommitThroughIt() throws Exception
    {
        final int port = freePort();
        try (EmbeddedKafka kafka = new EmbeddedKafka(null, port))
        {
            assertEquals("localhost:" + port, kafka.bootstrapServers());
            kafka.createTopic("fixed", 2);
            final Properties p = new Properties();
            p.put("bootstrap.servers", "localhost:" + port);
            p.put("key.serializer", ByteArraySerializer.class.getName());
            p.put("value.serializer", ByteArraySerializer.class.getName());
            p.put("transactional.id", "fixed-port-test");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
            {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 100; i++)
                {
                    producer.send(new ProducerRecord<>("fixed", ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("v" + i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.commitTransaction();
            }
            final Properties c = new Properties();
            c.put("bootstrap.servers", "localhost:" + port);
            c.put("key.deserializer", ByteArrayDeserializer.class.getName());
            c.put("value.deserializer", ByteArrayDeserializer.class.getName());
            c.put("isolation.level", "read_committed");
            final List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c))
            {
                final List<TopicPartition> parts = List.of(new TopicPartition("fixed", 0),
                    new TopicPartition("fixed", 1));
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (read.size() < 100 && System.nanoTime() < deadline)
                {
                    consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                }
            }
            assertEquals(100, read.size(), "committed records read back through port " + port);
        }
    }

    @Test
    void aPortAlreadyTakenIsNamed() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0))
        {
            final Exception e = assertThrows(Exception.class, () -> new EmbeddedKafka(null, taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("port " + taken.getLocalPort() + " is not free"), e.getMessage());
        }
        final StringWriter err = new StringWriter();
        assertEquals(2, Main.execute(new String[] {"kafka", "--port", "70000"}, new PrintWriter(new StringWriter(),
            true), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("--port 70000 is not a port (0 to 65535)"), err.toString());
    }

    @Test
    void aDataDirectoryKeepsTheTopicsAcrossRestarts(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir)
        throws Exception
    {
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0))
        {
            kafka.createTopic("kept", 1);
            TestTopics.produceJson(kafka.bootstrapServers(), "kept", 500, 1);
        }
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0))
        {
            kafka.createTopic("kept", 1); // exists already: no error
            final Properties c = new Properties();
            c.put("bootstrap.servers", kafka.bootstrapServers());
            c.put("key.deserializer", ByteArrayDeserializer.class.getName());
            c.put("value.deserializer", ByteArrayDeserializer.class.getName());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c))
            {
                final TopicPartition tp = new TopicPartition("kept", 0);
                assertEquals(500L, consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp));
            }
        }
    }
}
