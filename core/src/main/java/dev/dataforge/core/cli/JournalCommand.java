package dev.dataforge.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.delivery.JournalCodec;
import dev.dataforge.core.delivery.JournalPositions;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.journal.ChronicleJournal;
import dev.dataforge.journal.EntryHeader;
import dev.dataforge.journal.Journal;
import dev.dataforge.journal.JournalReader;
import dev.dataforge.journal.JournalSettings;
import dev.dataforge.journal.JournalStats;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./run.sh journal inspect|tail|stats PATH}: reads a pipeline's journal without changing it. {@code inspect}
 * prints entries (index, source position, status, routes, ingest time and the event as JSON), {@code tail} follows
 * new ones as they are appended, {@code stats} prints size, cycles, entries and the oldest and newest.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Reads a journal: inspect (entries as JSON lines), tail (follow new entries), stats (size, " +
        "cycles, oldest and newest).")
final class JournalCommand implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "ACTION", description = "inspect | tail | stats")
    String action;

    @Parameters(index = "1", paramLabel = "PATH", description = "the journal's directory (journal.path)")
    Path path;

    @Option(names = "--pipeline", paramLabel = "FILE", description = "the pipeline file, whose layout decodes the " +
        "events (default: the built-in user-event layout)")
    Path pipeline;

    @Option(names = "--after", paramLabel = "INDEX", description = "inspect: entries after this index (default: " +
        "from the first)")
    Long after;

    @Option(names = "--limit", paramLabel = "N", description = "inspect: at most N entries (default: " +
        "${DEFAULT-VALUE}); tail: stop after N (0: never)")
    long limit = 100;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (!action.equals("inspect") && !action.equals("tail") && !action.equals("stats"))
        {
            err.println("journal: ACTION must be inspect, tail or stats, not '" + action + "'");
            return Main.BAD_INPUT;
        }
        if (!Files.isDirectory(path))
        {
            err.println("journal: " + path + " is not a directory (a journal is the directory of journal.path)");
            return Main.BAD_INPUT;
        }
        final RecordLayout layout = pipeline != null ? PipelineLoading.plan(pipeline, System.getenv()).layout() :
            SbeLayouts.userEvent();
        try (Journal journal = ChronicleJournal.openReadOnly(JournalSettings.of(path)))
        {
            if (journal.tailRepair().cut())
            {
                err.println("journal: " + journal.tailRepair().description());
            }
            if (action.equals("stats"))
            {
                stats(journal, path, out);
                return 0;
            }
            final Printer printer = new Printer(layout, out);
            final long from = action.equals("tail") ? (after != null ? after : journal.lastIndex()) :
                after != null ? after : Journal.NULL_INDEX;
            try (JournalReader reader = journal.reader(from))
            {
                long printed = 0;
                while (limit == 0 || printed < limit)
                {
                    final int n = reader.read(printer, (int)Math.min(1024, limit == 0 ? 1024 : limit - printed));
                    if (n == JournalReader.CORRUPT)
                    {
                        err.println("journal: corrupt entry after " + reader.lastReadIndex() + ": " +
                            reader.corruption());
                        return Main.BAD_INPUT;
                    }
                    if (n < 0)
                    {
                        break;
                    }
                    printed += n;
                    if (n == 0)
                    {
                        if (action.equals("inspect"))
                        {
                            break;
                        }
                        out.flush();
                        LockSupport.parkNanos(50_000_000);
                    }
                }
                out.flush();
            }
        }
        return 0;
    }

    private static void stats(final Journal journal, final Path path, final PrintWriter out) throws Exception
    {
        final JournalStats s = journal.stats();
        final ObjectNode n = JSON.createObjectNode();
        n.put("bytes", s.bytes());
        n.put("cycles", s.cycles());
        n.put("entries", s.entries());
        n.put("first_index", s.firstIndex());
        n.put("last_index", s.lastIndex());
        n.put("oldest", s.firstIngestMillis() == 0 ? null : Instant.ofEpochMilli(s.firstIngestMillis()).toString());
        n.put("newest", s.lastIngestMillis() == 0 ? null : Instant.ofEpochMilli(s.lastIngestMillis()).toString());
        final com.fasterxml.jackson.databind.JsonNode positions = JournalPositions.read(path);
        if (positions != null)
        {
            // as the pipeline appending to it last wrote them (about once a second while it runs)
            final ObjectNode sinks = n.putObject("sinks");
            sinks.put("as_of", positions.path("written").asText());
            positions.path("sinks").fields().forEachRemaining(e ->
            {
                final ObjectNode one = sinks.putObject(e.getKey());
                final long settled = e.getValue().path("settled").asLong(-1);
                one.put("read", e.getValue().path("read").asLong(-1));
                one.put("settled", settled);
                one.put("lag", s.lastIndex() < 0 ? 0 : Math.max(0, countAfter(journal, settled, s.lastIndex())));
            });
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }

    /** @return the entries after index {@code settled} up to {@code last}: what a sink at {@code settled} lacks. */
    private static long countAfter(final Journal journal, final long settled, final long last)
    {
        if (settled >= last)
        {
            return 0;
        }
        final long[] n = {0};
        try (JournalReader r = journal.reader(settled < journal.firstIndex() ? Journal.NULL_INDEX : settled))
        {
            final JournalReader.EntryHandler count = (index, header, buffer, offset, length) ->
            {
                if (index <= last)
                {
                    n[0]++;
                }
            };
            while (r.read(count, 4096) > 0 && r.lastReadIndex() < last)
            {
                // counting
            }
        }
        catch (final Exception e)
        {
            return -1;
        }
        return n[0];
    }

    /** Prints each entry as one JSON line. */
    private static final class Printer implements JournalReader.EntryHandler
    {
        private final RecordLayout layout;
        private final JournalCodec codec;
        private final JsonRecordWriter json;
        private final PrintWriter out;
        private UnsafeBuffer memory;
        private final EventSlot slot = new EventSlot(0);

        Printer(final RecordLayout layout, final PrintWriter out)
        {
            this.layout = layout;
            this.codec = new JournalCodec(layout);
            this.json = new JsonRecordWriter(layout);
            this.out = out;
            this.memory = new UnsafeBuffer(new byte[layout.recordLength() + 64]);
        }

        @Override
        public void onEntry(final long index, final EntryHeader h, final DirectBuffer buffer, final int offset,
            final int length) throws Exception
        {
            final ObjectNode n = JSON.createObjectNode();
            n.put("index", index);
            n.put("source_id", JournalCodec.sourceIdText(h.sourceIdHi, h.sourceIdLo));
            n.put("partition", h.partition);
            n.put("offset", h.sourceOffset);
            n.put("ingested", Instant.ofEpochMilli(h.ingestTimeMillis).toString());
            n.put("status", h.status == EventSlot.PASS ? "pass" : h.status == EventSlot.FILTERED ? "filtered" :
                h.status == EventSlot.DEAD_LETTER ? "dead_letter" : Integer.toString(h.status));
            n.put("routes", h.routes == EventSlot.ALL_SINKS ? "all" : Long.toBinaryString(h.routes));
            n.put("schema", h.schemaId + "/" + h.schemaVersion);
            final boolean known = h.schemaId == layout.schemaId() && h.schemaVersion == layout.version();
            if (length > memory.capacity())
            {
                memory = new UnsafeBuffer(new byte[length]); // records are as long as they are (strings, json)
            }
            // an event in another layout than this pipeline's (its schema changed) is not decoded: shown as its bytes
            final boolean decoded = known || h.status == EventSlot.FILTERED || h.status == EventSlot.DEAD_LETTER &&
                (h.flags & JournalCodec.ORIGINAL) != 0;
            if (decoded)
            {
                codec.decode(index, h, buffer, offset, length, 0, slot, memory);
            }
            if (h.status == EventSlot.DEAD_LETTER && decoded)
            {
                n.put("stage", slot.deadLetterStage());
                n.put("reason", slot.deadLetterReason());
            }
            if (h.status == EventSlot.DEAD_LETTER && (h.flags & JournalCodec.ORIGINAL) != 0)
            {
                final byte[] raw = slot.sourceBytes(memory);
                n.put("original", new String(raw, StandardCharsets.UTF_8));
            }
            else if (h.status != EventSlot.FILTERED && known && length >= layout.recordLength())
            {
                final int len = json.write(memory, 0);
                n.set("event", JSON.readTree(new String(json.array(), 0, len, StandardCharsets.UTF_8)));
            }
            else if (h.status != EventSlot.FILTERED)
            {
                final byte[] raw = new byte[length];
                buffer.getBytes(offset, raw);
                n.put("bytes", Base64.getEncoder().encodeToString(raw));
            }
            out.println(JSON.writeValueAsString(n));
        }
    }
}
