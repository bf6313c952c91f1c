package dev.dataforge.perf.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The collections of this JVM while it is open, from the collectors' notifications: each with when it ended
 * ({@link System#nanoTime()}), how long it took, and which collector and cause. Concurrent cycles (G1's and ZGC's
 * concurrent phases) are kept apart from pauses: they do not stop the pipeline's threads.
 */
final class GcPauses implements AutoCloseable, NotificationListener
{
    /** One collection. */
    record Gc(long endNanos, long millis, String collector, String action, String cause)
    {
        boolean pause()
        {
            return !collector.contains("Concurrent") && !action.contains("concurrent") &&
                !collector.startsWith("ZGC Cycles") && !collector.startsWith("Shenandoah Cycles");
        }
    }

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<Gc> seen = new ArrayList<>();

    GcPauses()
    {
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            if (gc instanceof NotificationEmitter)
            {
                ((NotificationEmitter)gc).addNotificationListener(this, null, null);
                emitters.add((NotificationEmitter)gc);
            }
        }
    }

    @Override
    public synchronized void handleNotification(final Notification n, final Object handback)
    {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType()))
        {
            final GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData)n.getUserData());
            seen.add(new Gc(System.nanoTime(), info.getGcInfo().getDuration(), info.getGcName(),
                info.getGcAction(), info.getGcCause()));
        }
    }

    /** @return the pauses that ended in [{@code fromNanos}, {@code toNanos}]. */
    synchronized List<Gc> pauses(final long fromNanos, final long toNanos)
    {
        final List<Gc> out = new ArrayList<>();
        for (final Gc g : seen)
        {
            if (g.pause() && g.endNanos() - fromNanos >= 0 && toNanos - g.endNanos() >= 0)
            {
                out.add(g);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception
    {
        for (final NotificationEmitter e : emitters)
        {
            e.removeNotificationListener(this);
        }
    }
}
