package dev.dataforge.connectors.kafka.embedded;

import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code brokers: embedded}: a single-node broker in this process with the source's topics, and a load producer
 * feeding generated events into the first one. The Kafka source reads it like any cluster and closes it after its
 * consumer.
 */
public final class EmbeddedCluster implements AutoCloseable
{
    private final EmbeddedKafka broker;
    private final LoadProducer load;

    private EmbeddedCluster(final EmbeddedKafka broker, final LoadProducer load)
    {
        this.broker = broker;
        this.load = load;
    }

    /**
     * @param rate    generated events per second into the first topic, 0 for as fast as the producer goes.
     * @param dataDir where the broker keeps its log: a run started again continues on it (and the load producer
     *                after the events already there).
     */
    public static EmbeddedCluster start(final List<String> topics, final int partitions, final long rate,
        final Path dataDir) throws Exception
    {
        Files.createDirectories(dataDir);
        final EmbeddedKafka broker = new EmbeddedKafka(dataDir);
        try
        {
            for (final String t : topics)
            {
                broker.createTopic(t, partitions);
            }
            final LoadProducer load = new LoadProducer(broker.bootstrapServers(), topics.get(0), rate, 42).start();
            LoggerFactory.getLogger(EmbeddedCluster.class).info("embedded Kafka broker on {} (data in {}), topic {} " +
                "fed with {} generated events/s", broker.bootstrapServers(), dataDir, topics.get(0),
                rate == 0 ? "unbounded" : rate);
            return new EmbeddedCluster(broker, load);
        }
        catch (final Exception e)
        {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers()
    {
        return broker.bootstrapServers();
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            load.close();
        }
        finally
        {
            broker.close();
        }
    }
}
