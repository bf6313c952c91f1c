package dev.dataforge.connectors.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker in the test's JVM, configured for transactions on one node.
 */
final class EmbeddedKafka implements AutoCloseable
{
    private final KafkaClusterTestKit cluster;

    EmbeddedKafka() throws Exception
    {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
            .setNumBrokerNodes(1).setNumControllerNodes(1).build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    String bootstrapServers()
    {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() throws Exception
    {
        cluster.close();
    }
}
