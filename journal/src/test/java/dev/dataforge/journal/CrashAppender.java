package dev.dataforge.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.nio.file.Path;

/** The child JVM of {@link ChronicleJournalTest}'s crash test: appends until killed, printing each appended index. */
public final class CrashAppender
{
    private CrashAppender()
    {
    }

    public static void main(final String[] args)
    {
        final SyncPolicy sync = SyncPolicy.parse(args[1]);
        final PrintStream out = new PrintStream(System.out, false);
        try (Journal j = ChronicleJournal.open(JournalSettings.of(Path.of(args[0])).withSync(sync)))
        {
            final EntryHeader h = new EntryHeader();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[300]);
            for (long i = 0; ; i++)
            {
                ChronicleJournalTest.fill(h, payload, i);
                final long index = j.append(h, payload, 0, (int)(i % 300));
                if (i % 100 == 99)
                {
                    j.flush();
                }
                out.println(index);
                if (i % 64 == 0)
                {
                    out.flush();
                }
            }
        }
    }
}
