package dev.dataforge.connectors.kafka.embedded;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards every TCP connection made to a fixed port to another port of this host, byte for byte, in both
 * directions: how the embedded broker, whose test kit always binds a free port, is reached on the port a user asked
 * for (the broker advertises that port, so every client connection comes through here). Blocking I/O, two daemon
 * threads per connection: for development traffic, not for benchmarks.
 */
final class TcpForwarder implements AutoCloseable
{
    private final ServerSocket server;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    TcpForwarder(final int port, final int target) throws IOException
    {
        this.target = target;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port));
        acceptor = new Thread(this::accept, "dataforge-kafka-port-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port()
    {
        return server.getLocalPort();
    }

    private void accept()
    {
        while (!closed)
        {
            try
            {
                final Socket client = server.accept();
                final Socket broker = new Socket("localhost", target);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                open.add(client);
                open.add(broker);
                pump(client, broker);
                pump(broker, client);
            }
            catch (final IOException e)
            {
                if (!closed)
                {
                    LoggerFactory.getLogger(TcpForwarder.class).warn("port {}: {}", server.getLocalPort(),
                        e.toString());
                }
            }
        }
    }

    private void pump(final Socket from, final Socket to)
    {
        final Thread t = new Thread(() ->
        {
            final byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream())
            {
                int n;
                while ((n = in.read(buffer)) >= 0)
                {
                    out.write(buffer, 0, n);
                }
            }
            catch (final IOException ended)
            {
                // one side closed: close both below
            }
            finally
            {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "dataforge-kafka-forward");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(final Socket s)
    {
        open.remove(s);
        try
        {
            s.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }

    /** Cuts every connection open now, as a network failure would; new ones are still accepted. @return how many. */
    int cutConnections()
    {
        final int n = open.size();
        open.forEach(this::closeQuietly);
        return n;
    }

    @Override
    public void close() throws IOException
    {
        closed = true;
        server.close();
        open.forEach(this::closeQuietly);
    }
}
