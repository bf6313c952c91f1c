package dev.dataforge.connectors.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder between the sink and PostgreSQL that cuts the connection around chosen COMMITs, as a network
 * failure would: {@link Cut#BEFORE} drops the connection instead of passing the COMMIT on (the transaction is rolled
 * back, never committed), {@link Cut#AFTER} passes it on and drops the connection when the server answers (the
 * transaction is committed, the client never hears). Either way the client sees a lost connection during COMMIT and
 * cannot tell which happened. It counts every COMMIT (in the client's bytes; the connection must not use
 * server-side prepared statements, {@code prepareThreshold=0}, so that the text is sent each time). After each cut
 * it can refuse the next connections too, as a database that stays out of reach for a while.
 */
final class CommitCutter implements AutoCloseable
{
    enum Cut
    {
        BEFORE, AFTER,
        /** As AFTER, and the next connection opened (the read-back of the checkpoints) is cut at its first COMMIT. */
        AFTER_AND_THE_READ_BACK
    }

    private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int target;
    private final List<Cut> plan;
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final int[] at;
    private final int refuseAfterCut;
    private final AtomicInteger refusing = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean cutNextConnection =
        new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param target the PostgreSQL port.
     * @param at     which COMMITs to cut (1 for the first), each with {@code plan}'s cut at the same place.
     */
    CommitCutter(final int target, final int[] at, final List<Cut> plan) throws IOException
    {
        this(target, at, plan, 0);
    }

    /** @param refuseAfterCut how many connections to refuse (accept and close at once) after each cut. */
    CommitCutter(final int target, final int[] at, final List<Cut> plan, final int refuseAfterCut) throws IOException
    {
        this.refuseAfterCut = refuseAfterCut;
        this.target = target;
        this.at = at.clone();
        this.plan = List.copyOf(plan);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        final Thread accept = new Thread(this::accept, "commit-cutter");
        accept.setDaemon(true);
        accept.start();
    }

    int port()
    {
        return server.getLocalPort();
    }

    /** @return connections refused so far. */
    int refused()
    {
        return refused.get();
    }

    /** @return connections cut so far. */
    int cuts()
    {
        return cuts.get();
    }

    private void accept()
    {
        while (!server.isClosed())
        {
            try
            {
                final Socket client = server.accept();
                if (refusing.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
                {
                    refused.incrementAndGet();
                    close(client);
                    continue;
                }
                final Socket upstream = new Socket("127.0.0.1", target);
                open.add(client);
                open.add(upstream);
                final boolean[] cutOnReply = {false};
                final boolean[] cutAtFirstCommit = {cutNextConnection.getAndSet(false)};
                pump(client, upstream, true, cutOnReply, cutAtFirstCommit);
                pump(upstream, client, false, cutOnReply, new boolean[1]);
            }
            catch (final IOException closed)
            {
                return;
            }
        }
    }

    /** @return the cut planned for the COMMIT just counted, or null. */
    private Cut cutFor(final int commit)
    {
        for (int i = 0; i < at.length; i++)
        {
            if (at[i] == commit)
            {
                return plan.get(i);
            }
        }
        return null;
    }

    private void pump(final Socket from, final Socket to, final boolean fromClient, final boolean[] cutOnReply,
        final boolean[] cutAtFirstCommit)
    {
        final Thread t = new Thread(() ->
        {
            final byte[] buffer = new byte[1 << 16];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream())
            {
                int n;
                while ((n = in.read(buffer)) > 0)
                {
                    if (fromClient && contains(buffer, n) && cutAtFirstCommit[0])
                    {
                        cut(from, to);
                        return;
                    }
                    if (fromClient && contains(buffer, n))
                    {
                        final Cut cut = cutFor(commits.incrementAndGet());
                        if (cut == Cut.BEFORE)
                        {
                            cut(from, to);
                            return;
                        }
                        if (cut == Cut.AFTER_AND_THE_READ_BACK)
                        {
                            cutNextConnection.set(true);
                        }
                        if (cut == Cut.AFTER || cut == Cut.AFTER_AND_THE_READ_BACK)
                        {
                            synchronized (cutOnReply)
                            {
                                cutOnReply[0] = true;
                            }
                        }
                    }
                    if (!fromClient)
                    {
                        synchronized (cutOnReply)
                        {
                            if (cutOnReply[0])
                            {
                                cut(from, to);
                                return;
                            }
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            catch (final IOException gone)
            {
                close(from);
                close(to);
            }
        }, "commit-cutter-pump");
        t.setDaemon(true);
        t.start();
    }

    private void cut(final Socket a, final Socket b)
    {
        refusing.set(refuseAfterCut);
        cuts.incrementAndGet();
        close(a);
        close(b);
    }

    private static boolean contains(final byte[] buffer, final int n)
    {
        outer:
        for (int i = 0; i + COMMIT.length <= n; i++)
        {
            for (int j = 0; j < COMMIT.length; j++)
            {
                if (buffer[i + j] != COMMIT[j])
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void close(final Socket s)
    {
        try
        {
            s.close();
        }
        catch (final IOException ignored)
        {
            // already closed
        }
    }

    @Override
    public void close() throws IOException
    {
        server.close();
        open.forEach(CommitCutter::close);
    }
}
