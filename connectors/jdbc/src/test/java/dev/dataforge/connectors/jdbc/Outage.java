package dev.dataforge.connectors.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of a database that can be taken down: {@link #down()} drops every open connection and
 * refuses new ones (accepts and closes them at once), as a database host that went away; {@link #up()} forwards
 * again.
 */
final class Outage implements AutoCloseable
{
    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    Outage(final int target) throws IOException
    {
        this.target = target;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        final Thread accept = new Thread(this::accept, "outage");
        accept.setDaemon(true);
        accept.start();
    }

    int port()
    {
        return server.getLocalPort();
    }

    void down()
    {
        down = true;
        for (final Socket s : open)
        {
            close(s);
        }
        open.clear();
    }

    void up()
    {
        down = false;
    }

    private void accept()
    {
        while (!server.isClosed())
        {
            try
            {
                final Socket client = server.accept();
                if (down)
                {
                    client.close();
                    continue;
                }
                final Socket db = new Socket("127.0.0.1", target);
                open.add(client);
                open.add(db);
                pump(client, db);
                pump(db, client);
            }
            catch (final IOException e)
            {
                // closed, or one connection failed: go on accepting
            }
        }
    }

    private void pump(final Socket from, final Socket to)
    {
        final Thread t = new Thread(() ->
        {
            final byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream())
            {
                int n;
                while ((n = in.read(buffer)) > 0)
                {
                    out.write(buffer, 0, n);
                }
            }
            catch (final IOException e)
            {
                // dropped
            }
            finally
            {
                close(from);
                close(to);
            }
        }, "outage-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(final Socket s)
    {
        try
        {
            s.close();
        }
        catch (final IOException e)
        {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException
    {
        server.close();
        down();
    }
}
