package dev.dataforge.connectors.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A real single-node KRaft broker in this JVM, set up for transactions on one node: behind
 * {@code brokers: embedded}, and the tests' broker. Starts in about two seconds.
 */
public final class EmbeddedKafka implements AutoCloseable
{
    private final KafkaClusterTestKit cluster;

    public EmbeddedKafka() throws Exception
    {
        this(null);
    }

    /**
     * @param dataDir where the broker keeps its log, null for a temporary directory deleted on close.
     */
    public EmbeddedKafka(final java.nio.file.Path dataDir) throws Exception
    {
        final TestKitNodes.Builder nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
            .setNumControllerNodes(1);
        if (dataDir != null)
        {
            nodes.setBaseDirectory(dataDir);
        }
        cluster = new KafkaClusterTestKit.Builder(nodes.build())
            .setDeleteOnClose(dataDir == null)
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    public String bootstrapServers()
    {
        return cluster.bootstrapServers();
    }

    /** Creates the topic unless it exists. */
    public void createTopic(final String topic, final int partitions) throws Exception
    {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers())))
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get();
        }
        catch (final ExecutionException e)
        {
            if (!(e.getCause() instanceof TopicExistsException))
            {
                throw e;
            }
        }
    }

    @Override
    public void close() throws Exception
    {
        cluster.close();
    }
}
