package dev.dataforge.perf;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where an engine's CPU goes, by stage, from a JFR recording ({@code -XX:StartFlightRecording=...,settings=profile}):
 * each execution sample of a thread whose name matches is put in the first stage (in this order: commit, encode,
 * decode, produce, process, poll, ring) with a frame anywhere in its stack, and each thread's own busy share (CPU over wall time, from {@code jdk.ThreadCPULoad})
 * says how much of the run it waited. Stages: poll (the Kafka consumer, decompression and record parsing included),
 * ring (the source publishing into the ring), decode (JSON into the slot), process (filter, enrich), encode (the slot
 * as JSON), produce (the producer's send and its network thread), commit (the sink's flush and transaction), other.
 * Usage: {@code JfrBreakdown FILE [THREAD_REGEX] [US_PER_RECORD]}; with the engine's measured CPU per record, each
 * stage's share is also given in microseconds per record.
 */
public final class JfrBreakdown
{
    /** Stage name, then the frame prefixes (class name and method) that put a sample in it, tried in this order. */
    private static final List<String[]> RULES = List.of(
        new String[] {"commit", "dev.dataforge.connectors.kafka.KafkaSink.commit", "dev.dataforge.connectors.kafka" +
            ".KafkaSink.awaitSends", "org.apache.kafka.clients.producer.KafkaProducer.commitTransaction",
            "org.apache.kafka.clients.producer.KafkaProducer.sendOffsetsToTransaction",
            "dev.dataforge.core.delivery.SinkStage.commit"},
        new String[] {"encode", "dev.dataforge.codec.JsonRecordWriter"},
        new String[] {"decode", "dev.dataforge.codec.JsonTranscoder", "dev.dataforge.api.source.RecordDecoder"},
        new String[] {"produce", "org.apache.kafka.clients.producer", "dev.dataforge.connectors.kafka.KafkaSink"},
        new String[] {"process", "dev.dataforge.core.processing", "dev.dataforge.core.runtime.FusedStage",
            "dev.dataforge.core.delivery"},
        new String[] {"poll", "org.apache.kafka.clients.consumer", "dev.dataforge.connectors.kafka.KafkaSource.poll"},
        new String[] {"ring", "dev.dataforge.core.ingestion", "dev.dataforge.core.ring",
            "dev.dataforge.connectors.kafka.KafkaSource"});

    private JfrBreakdown()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path file = Path.of(args[0]);
        final Pattern threads = Pattern.compile(args.length > 1 ? args[1] :
            "dataforge-.*|kafka-producer-network-thread \\| producer-dataforge-.*");
        final double usPerRecord = args.length > 2 ? Double.parseDouble(args[2]) : Double.NaN;
        final Map<String, Integer> byStage = new LinkedHashMap<>();
        for (final String[] r : RULES)
        {
            byStage.put(r[0], 0);
        }
        byStage.put("other", 0);
        final Map<String, double[]> load = new TreeMap<>(); // thread -> {sum of user+system, samples}
        int total = 0;
        int hwThreads = 1;
        try (RecordingFile recording = new RecordingFile(file))
        {
            while (recording.hasMoreEvents())
            {
                final RecordedEvent e = recording.readEvent();
                final String type = e.getEventType().getName();
                if (type.equals("jdk.CPUInformation"))
                {
                    hwThreads = Math.max(1, e.getInt("hwThreads"));
                    continue;
                }
                if (type.equals("jdk.ThreadCPULoad"))
                {
                    final String name = name(e.getThread("eventThread"));
                    if (threads.matcher(name).matches())
                    {
                        final double[] l = load.computeIfAbsent(name.replaceAll("\\d+$", "N"), k -> new double[2]);
                        l[0] += e.getFloat("user") + e.getFloat("system");
                        l[1]++;
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") ||
                    !threads.matcher(name(e.getThread("sampledThread"))).matches() || e.getStackTrace() == null)
                {
                    continue;
                }
                total++;
                final boolean network = name(e.getThread("sampledThread")).startsWith("kafka-producer-network");
                byStage.merge(network ? "produce" : stage(e.getStackTrace().getFrames()), 1, Integer::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%,d execution samples of the matching threads in %s%n", total, file);
        for (final Map.Entry<String, Integer> s : byStage.entrySet())
        {
            final double share = total == 0 ? 0 : s.getValue() / (double)total;
            System.out.printf(Locale.ROOT, "  %-8s %5.1f%%%s%n", s.getKey(), share * 100, Double.isNaN(usPerRecord) ?
                "" : String.format(Locale.ROOT, "  %.2f us/record", share * usPerRecord));
        }
        // JFR gives a thread's load as a share of the whole machine: times the hardware threads, of one core
        System.out.println("busy share of one core, per thread, over the seconds it lived (the rest it waited):");
        final int cpus = hwThreads;
        load.forEach((name, l) -> System.out.printf(Locale.ROOT, "  %-70s %5.1f%%%n", name,
            Math.min(100, 100 * cpus * l[0] / l[1])));
    }

    private static String name(final RecordedThread t)
    {
        return t == null || t.getJavaName() == null ? "?" : t.getJavaName();
    }

    /** @return the first stage (in {@link #RULES} order) with a frame anywhere in the stack. */
    private static String stage(final List<RecordedFrame> frames)
    {
        for (final String[] r : RULES)
        {
            for (final RecordedFrame f : frames)
            {
                final String m = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                for (int i = 1; i < r.length; i++)
                {
                    if (m.startsWith(r[i]))
                    {
                        return r[0];
                    }
                }
            }
        }
        return "other";
    }
}
