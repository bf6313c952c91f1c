package dev.dataforge.connectors.kafka.embedded;

import dev.dataforge.connectors.kafka.KafkaTopics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A real single-node KRaft broker in this JVM, set up for transactions on one node: behind
 * {@code brokers: embedded}, and the tests' broker. Starts in about two seconds.
 */
public final class EmbeddedKafka implements AutoCloseable
{
    private static final String LISTENER = "EXTERNAL";

    private final KafkaClusterTestKit cluster;
    private final TcpForwarder forwarder;

    public EmbeddedKafka() throws Exception
    {
        this(null);
    }

    /**
     * @param dataDir where the broker keeps its log, null for a temporary directory deleted on close.
     */
    public EmbeddedKafka(final Path dataDir) throws Exception
    {
        this(dataDir, 0);
    }

    /**
     * @param dataDir where the broker keeps its log, null for a temporary directory deleted on close.
     * @param port the client port, 0 for any free one. The test kit always binds a free port; for a fixed one the
     * broker advertises {@code localhost:port} and a {@link TcpForwarder} on that port carries every connection.
     */
    public EmbeddedKafka(final Path dataDir, final int port) throws Exception
    {
        final TestKitNodes.Builder nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
            .setNumControllerNodes(1);
        if (port > 0)
        {
            // fail now, naming the port, if something else holds it
            try (ServerSocket probe = new ServerSocket())
            {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(port));
            }
            catch (final IOException e)
            {
                throw new IOException("port " + port + " is not free: " + e.getMessage(), e);
            }
            nodes.setPerServerProperties(Map.of(0, Map.of("advertised.listeners", LISTENER + "://localhost:" + port)));
        }
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
        // a data directory kept from an earlier run is already formatted: formatting again would refuse it
        if (dataDir == null || !Files.exists(dataDir.resolve("combined_0_0").resolve("meta.properties")))
        {
            formatQuietly();
        }
        cluster.startup();
        forwarder = port > 0 ? new TcpForwarder(port, cluster.brokers().values().iterator().next()
            .boundPort(new ListenerName(LISTENER))) : null;
        cluster.waitForReadyBrokers();
    }

    /**
     * Kafka's formatter prints "Bootstrap metadata ..." and "Formatting ..." on stdout, which is the pipeline's: they
     * go to the broker's logger instead (INFO: the library log shows them with -Ddataforge.log.libraries=info).
     */
    private void formatQuietly() throws Exception
    {
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        synchronized (System.class)
        {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try
            {
                cluster.format();
            }
            finally
            {
                System.setOut(stdout);
            }
        }
        final Logger log = LoggerFactory.getLogger(KafkaClusterTestKit.class);
        for (final String line : printed.toString(StandardCharsets.UTF_8).split("\\R"))
        {
            if (!line.isBlank())
            {
                log.info(line);
            }
        }
    }

    public String bootstrapServers()
    {
        return forwarder != null ? "localhost:" + forwarder.port() : cluster.bootstrapServers();
    }

    /**
     * Cuts every client connection open now (a broker on a fixed port only: they all pass its forwarder), as a
     * network failure would; clients reconnect. For tests. @return connections cut.
     */
    public int cutClientConnections()
    {
        if (forwarder == null)
        {
            throw new IllegalStateException("only a broker on a fixed port can cut its client connections");
        }
        return forwarder.cutConnections();
    }

    /** Creates the topic unless it exists. */
    public void createTopic(final String topic, final int partitions) throws Exception
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        KafkaTopics.createUnlessExists(p, new NewTopic(topic, partitions, (short)1));
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            cluster.close();
        }
        finally
        {
            if (forwarder != null)
            {
                forwarder.close();
            }
        }
    }
}
