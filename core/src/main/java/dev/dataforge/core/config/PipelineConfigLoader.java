package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;
import dev.dataforge.codec.Names;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.dataforge.core.config.Nodes.keys;
import static dev.dataforge.core.config.Nodes.map;
import static dev.dataforge.core.config.Nodes.optionalText;
import static dev.dataforge.core.config.Nodes.required;
import static dev.dataforge.core.config.Nodes.text;

/**
 * Loads a pipeline file into a {@link PipelineConfig}. Connector {@code config:} blocks are kept as nodes and
 * checked later against each connector's spec; everything else is checked here, each error at its line and column.
 */
public final class PipelineConfigLoader
{
    /** The lookup catalog read from the pipeline file's directory, when present. */
    public static final String CATALOG = "lookups.yaml";

    static final List<String> ROOT_KEYS = List.of("pipeline");
    static final List<String> PIPELINE_KEYS = List.of("name", "mode", "source", "transforms", "sink", "sinks",
        "lookups", "runtime", "metrics", "dead_letter", "journal");
    static final List<String> JOURNAL_KEYS = List.of("enabled", "path", "roll_cycle", "retention", "sync");
    static final List<String> RETENTION_KEYS = List.of("time", "size");
    static final Set<String> ROLL_CYCLES = Set.of("minutely", "hourly", "daily");
    static final List<String> SOURCE_KEYS = List.of("type", "config");
    static final List<String> SINK_KEYS = List.of("type", "config", "batch", "retry");
    /** A named sink may have a dead-letter queue of its own. */
    static final List<String> NAMED_SINK_KEYS = List.of("type", "config", "batch", "retry", "dead_letter");
    static final List<String> RETRY_KEYS = List.of("max_attempts", "initial_backoff", "max_backoff");
    static final List<String> BATCH_KEYS = List.of("max_events", "max_bytes", "linger");
    static final List<String> FILTER_KEYS = List.of("type", "condition");
    static final List<String> ROUTE_KEYS = List.of("type", "routes", "default");
    static final List<String> ROUTE_ENTRY_KEYS = List.of("when", "to");
    /** Routes address sinks by a bit of a 64-bit mask per event. */
    public static final int MAX_SINKS = 64;
    static final List<String> ENRICH_KEYS = List.of("type", "lookup", "key", "select", "prefix", "on_miss");
    static final List<String> LOOKUP_KEYS = List.of("type", "config", "max_bytes");
    static final List<String> RUNTIME_KEYS = List.of("ring_size", "ring_bytes", "wait", "stage_threads",
        "stages");
    static final Set<String> STAGE_THREADS = Set.of(RuntimeConfig.AUTO, RuntimeConfig.SHARED, RuntimeConfig.DEDICATED);
    static final List<String> STAGE_NAMES = List.of("source", "process", "sink");
    /** Waits the source loop can use: nothing signals it (it waits for input or for room in the ring). */
    static final Set<String> SOURCE_WAITS = Set.of("backoff", "busy-spin", "yield", "sleep");
    static final List<String> STAGE_KEYS = List.of("wait", "cpu");
    static final List<String> METRICS_KEYS = List.of("prometheus", "progress");
    static final List<String> PROMETHEUS_KEYS = List.of("enabled", "host", "port");
    static final List<String> DEAD_LETTER_KEYS = List.of("type", "config");
    static final Set<String> MODES = Set.of(PipelineConfig.REAL_TIME, PipelineConfig.BATCH);
    static final Set<String> TRANSFORMS = Set.of("filter", "enrich", "route");
    static final Set<String> WAITS = Set.of("backoff", "busy-spin", "yield", "sleep", "block");
    static final Set<String> ON_MISS = Set.of("pass", "drop", "dead_letter");

    public static final int DEFAULT_RING_SIZE = 16384;
    public static final BatchConfig DEFAULT_BATCH = new BatchConfig(10_000, 16L << 20, null);

    private final Map<String, String> env;

    public PipelineConfigLoader()
    {
        this(System.getenv());
    }

    public PipelineConfigLoader(final Map<String, String> env)
    {
        this.env = env;
    }

    /** @throws ConfigException with the file, line and column of the first problem. */
    public PipelineConfig load(final Path file)
    {
        final String yaml = read(file);
        final Path base = file.toAbsolutePath().getParent();
        return parse(yaml, file.toString(), base == null ? Path.of(".") : base, file);
    }

    /** For tests: parses text as if it were the file {@code fileName} in {@code baseDirectory}. */
    public PipelineConfig parse(final String yaml, final String fileName, final Path baseDirectory)
    {
        return parse(yaml, fileName, baseDirectory, baseDirectory.resolve(fileName));
    }

    private static String read(final Path file)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
        }
        catch (final NoSuchFileException e)
        {
            throw new ConfigException(new Location(file.toString(), 0, 0), "file not found");
        }
        catch (final CharacterCodingException e)
        {
            throw new ConfigException(new Location(file.toString(), 0, 0), "file is not UTF-8 text");
        }
        catch (final IOException e)
        {
            throw new ConfigException(new Location(file.toString(), 0, 0), "cannot read file: " + e.getMessage());
        }
    }

    private PipelineConfig parse(final String yaml, final String fileName, final Path base, final Path file)
    {
        final ConfigNode root = YamlTree.parse(yaml, fileName, env);
        if (!root.isMap())
        {
            throw new ConfigException(root.location(), "a pipeline file must start with 'pipeline:'");
        }
        keys(root, "the file", ROOT_KEYS);
        final ConfigNode p = map(required(root, "pipeline", "the file"), "'pipeline'");
        keys(p, "pipeline", PIPELINE_KEYS);

        final ConfigNode nameNode = required(p, "name", "pipeline");
        final String name = text(nameNode, "pipeline 'name'");
        if (!name.matches("[A-Za-z0-9_.-]+"))
        {
            throw new ConfigException(nameNode.location(), "pipeline 'name' may hold only letters, digits, '_', " +
                "'.' and '-', not '" + name + "'");
        }
        final ConfigNode modeNode = p.get("mode");
        final String mode = modeNode == null || modeNode.isNull() ? PipelineConfig.REAL_TIME :
            Nodes.oneOf(modeNode, "pipeline 'mode'", MODES);
        final Location modeLocation = modeNode == null ? p.location() : modeNode.location();

        final SourceConfig source = source(required(p, "source", "pipeline"));
        final Map<String, LookupConfig> lookups = lookups(p.get("lookups"), base, fileName);
        final DeadLetterConfig deadLetter = deadLetter(p.get("dead_letter"), p.location());
        final List<SinkConfig> sinks = sinks(p, deadLetter);
        final List<TransformConfig> transforms = transforms(p.get("transforms"), lookups, base, sinks);
        return new PipelineConfig(file, base, name, p.location(), mode, modeLocation, source, transforms, sinks,
            lookups, runtime(p.get("runtime"), p.location(), sinks), metrics(p.get("metrics")),
            deadLetter, journal(p.get("journal"), p.location(), base));
    }

    private static SourceConfig source(final ConfigNode node)
    {
        final ConfigNode s = map(node, "'source'");
        keys(s, "source", SOURCE_KEYS);
        final ConfigNode type = required(s, "type", "source");
        return new SourceConfig(text(type, "source 'type'"), type.location(), config(s, "source"), s.location());
    }

    private static ConfigNode config(final ConfigNode section, final String what)
    {
        final ConfigNode c = section.get("config");
        return c == null ? ConfigNode.emptyMap(section.location()) : map(c, what + " 'config'");
    }

    /** The single {@code sink:}, or the named {@code sinks:}; exactly one of the two. */
    private static List<SinkConfig> sinks(final ConfigNode p, final DeadLetterConfig deadLetter)
    {
        final ConfigNode one = p.get("sink");
        final ConfigNode named = p.get("sinks");
        if (one != null && named != null)
        {
            throw new ConfigException(p.keyLocation("sinks"), "pipeline has both 'sink' and 'sinks': use 'sink' for " +
                "one sink, or name every sink under 'sinks' (sinks: {warehouse: {type: ...}, archive: {...}})");
        }
        if (named == null)
        {
            return List.of(sink(required(p, "sink", "pipeline"), null, deadLetter));
        }
        final ConfigNode m = map(named, "'sinks'");
        if (m.entries().isEmpty())
        {
            throw new ConfigException(m.location(), "'sinks' is empty: name at least one sink (sinks: {archive: " +
                "{type: duckdb, config: {...}}})");
        }
        if (m.entries().size() > MAX_SINKS)
        {
            throw new ConfigException(m.location(), "'sinks' names " + m.entries().size() + " sinks; at most " +
                MAX_SINKS + " are supported");
        }
        final List<SinkConfig> out = new ArrayList<>();
        for (final Map.Entry<String, ConfigNode> e : m.entries().entrySet())
        {
            if (!e.getKey().matches("[A-Za-z0-9_-]+"))
            {
                throw new ConfigException(m.keyLocation(e.getKey()), "sink name '" + e.getKey() + "' may hold only " +
                    "letters, digits, '_' and '-'");
            }
            out.add(sink(e.getValue(), e.getKey(), deadLetter));
        }
        return List.copyOf(out);
    }

    private static SinkConfig sink(final ConfigNode node, final String name, final DeadLetterConfig pipelineQueue)
    {
        final String what = name == null ? "sink" : "sink '" + name + "'";
        final ConfigNode s = map(node, name == null ? "'sink'" : what);
        keys(s, what, name == null ? SINK_KEYS : NAMED_SINK_KEYS);
        final DeadLetterConfig queue = s.get("dead_letter") == null ? pipelineQueue :
            deadLetter(s.get("dead_letter"), s.location());
        final ConfigNode type = required(s, "type", what);
        BatchConfig batch = DEFAULT_BATCH;
        final ConfigNode b = s.get("batch");
        if (b != null)
        {
            final ConfigNode m = map(b, "sink 'batch'");
            if (m.get("max_rows") != null)
            {
                throw new ConfigException(m.keyLocation("max_rows"), "sink batch 'max_rows' is now 'max_events' " +
                    "(a batch counts events, whatever the destination calls them)");
            }
            keys(m, "sink batch", BATCH_KEYS);
            batch = new BatchConfig(
                m.get("max_events") == null ? DEFAULT_BATCH.maxEvents() :
                    (int)Nodes.integer(m.get("max_events"), "batch 'max_events'", 1, 10_000_000),
                m.get("max_bytes") == null ? DEFAULT_BATCH.maxBytes() : Nodes.size(m.get("max_bytes"),
                    "batch 'max_bytes'"),
                m.get("linger") == null ? DEFAULT_BATCH.linger() : Nodes.duration(m.get("linger"),
                    "batch 'linger'"));
        }
        RetryConfig retry = RetryConfig.DEFAULT;
        final ConfigNode r = s.get("retry");
        if (r != null)
        {
            final ConfigNode m = map(r, "sink 'retry'");
            keys(m, "sink retry", RETRY_KEYS);
            retry = new RetryConfig(
                m.get("max_attempts") == null ? retry.maxAttempts() :
                    (int)Nodes.integer(m.get("max_attempts"), "retry 'max_attempts'", 1, 1_000_000),
                m.get("initial_backoff") == null ? retry.initialBackoff() :
                    Nodes.duration(m.get("initial_backoff"), "retry 'initial_backoff'"),
                m.get("max_backoff") == null ? retry.maxBackoff() :
                    Nodes.duration(m.get("max_backoff"), "retry 'max_backoff'"));
        }
        final String typeName = text(type, what + " 'type'");
        return new SinkConfig(name == null ? typeName : name, name != null, typeName, type.location(),
            config(s, what), s.location(), batch, retry, queue);
    }

    private static List<TransformConfig> transforms(
        final ConfigNode node, final Map<String, LookupConfig> lookups, final Path base, final List<SinkConfig> sinks)
    {
        final List<TransformConfig> out = new ArrayList<>();
        if (node == null || node.isNull())
        {
            return out;
        }
        if (!node.isList())
        {
            throw new ConfigException(node.location(), "'transforms' must be a list of transforms (- type: filter " +
                "...), not " + node.describe());
        }
        int index = 0;
        for (final ConfigNode item : node.items())
        {
            index++;
            final String what = "transform " + index;
            final ConfigNode t = map(item, what);
            final String type = Nodes.oneOf(required(t, "type", what), what + " 'type'", TRANSFORMS);
            if (type.equals("filter"))
            {
                keys(t, "filter", FILTER_KEYS);
                final ConfigNode condition = required(t, "condition", "filter");
                if (!condition.isScalar())
                {
                    throw new ConfigException(condition.location(), "filter 'condition' must be an expression, not " +
                        condition.describe());
                }
                out.add(new FilterConfig(t.location(), condition.text(), condition));
            }
            else if (type.equals("route"))
            {
                for (final TransformConfig earlier : out)
                {
                    if (earlier instanceof RouteConfig)
                    {
                        throw new ConfigException(t.location(), "a pipeline has at most one route transform (the " +
                            "first is at " + earlier.location() + "); put every route under its 'routes'");
                    }
                }
                out.add(route(t, sinks));
            }
            else
            {
                out.add(enrich(t, lookups, base));
            }
        }
        return out;
    }

    private static RouteConfig route(final ConfigNode t, final List<SinkConfig> sinks)
    {
        keys(t, "route", ROUTE_KEYS);
        if (!sinks.get(0).named())
        {
            throw new ConfigException(t.location(), "route needs named sinks: declare them under 'sinks:' " +
                "(sinks: {warehouse: {type: ...}, archive: {...}}) instead of 'sink:'");
        }
        final ConfigNode routesNode = required(t, "routes", "route");
        if (!routesNode.isList() || routesNode.items().isEmpty())
        {
            throw new ConfigException(routesNode.location(), "route 'routes' must be a list of routes (- when: " +
                "CONDITION, to: [SINK, ...]), not " + routesNode.describe());
        }
        final List<RouteConfig.Route> routes = new ArrayList<>();
        final java.util.Set<String> reached = new java.util.HashSet<>();
        int index = 0;
        for (final ConfigNode item : routesNode.items())
        {
            index++;
            final String what = "route " + index;
            final ConfigNode r = map(item, what);
            keys(r, what, ROUTE_ENTRY_KEYS);
            final ConfigNode when = required(r, "when", what);
            if (!when.isScalar())
            {
                throw new ConfigException(when.location(), what + " 'when' must be a condition, not " +
                    when.describe());
            }
            final ConfigNode to = required(r, "to", what);
            final List<String> targets = sinkNames(to, what + " 'to'", sinks);
            reached.addAll(targets);
            routes.add(new RouteConfig.Route(when.text(), when, targets, to));
        }
        final ConfigNode d = t.get("default");
        final List<String> defaults = d == null || d.isNull() ? List.of() : sinkNames(d, "route 'default'", sinks);
        reached.addAll(defaults);
        for (final SinkConfig s : sinks)
        {
            if (!reached.contains(s.name()))
            {
                throw new ConfigException(s.location(), "sink '" + s.name() + "' is in no route and not in the " +
                    "route's 'default' (at " + t.location() + "): it would receive nothing; add it to a route or " +
                    "remove it");
            }
        }
        return new RouteConfig(t.location(), List.copyOf(routes), defaults, d);
    }

    /** A sink name or a list of them, each one of the declared sinks, none twice. */
    private static List<String> sinkNames(final ConfigNode node, final String what, final List<SinkConfig> sinks)
    {
        final List<ConfigNode> items = node.isScalar() ? List.of(node) : node.isList() ? node.items() : null;
        if (items == null || items.isEmpty())
        {
            throw new ConfigException(node.location(), what + " must be a sink's name or a list of them, not " +
                node.describe());
        }
        final List<String> names = new ArrayList<>();
        final List<String> declared = new ArrayList<>();
        for (final SinkConfig s : sinks)
        {
            declared.add(s.name());
        }
        for (final ConfigNode n : items)
        {
            final String name = text(n, what + " item");
            if (!declared.contains(name))
            {
                throw new ConfigException(n.location(), what + ": no sink named '" + name + "'" +
                    Names.didYouMean(name, declared) + " (sinks: " + String.join(", ", declared) + ")");
            }
            if (names.contains(name))
            {
                throw new ConfigException(n.location(), what + ": sink '" + name + "' is named twice");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static EnrichConfig enrich(final ConfigNode t, final Map<String, LookupConfig> lookups, final Path base)
    {
        keys(t, "enrich", ENRICH_KEYS);
        final ConfigNode lookup = required(t, "lookup", "enrich");
        final String lookupName = text(lookup, "enrich 'lookup'");
        if (!lookups.containsKey(lookupName))
        {
            throw new ConfigException(lookup.location(), "undefined lookup '" + lookupName + "'" +
                Names.didYouMean(lookupName, lookups.keySet()) + " (declare it under pipeline.lookups or in " +
                base.resolve(CATALOG) + (lookups.isEmpty() ? "" : "; defined: " +
                String.join(", ", lookups.keySet())) + ")");
        }
        final ConfigNode key = required(t, "key", "enrich");
        final ConfigNode select = t.get("select");
        final List<String> columns = new ArrayList<>();
        if (select != null && !select.isNull())
        {
            if (select.isScalar())
            {
                columns.add(select.text());
            }
            else if (select.isList())
            {
                for (final ConfigNode c : select.items())
                {
                    columns.add(text(c, "enrich 'select' item"));
                }
            }
            else
            {
                throw new ConfigException(select.location(), "enrich 'select' must be a column or a list of " +
                    "columns, not a map");
            }
        }
        final ConfigNode onMissNode = t.get("on_miss");
        final OnMiss onMiss = onMissNode == null || onMissNode.isNull() ? OnMiss.PASS :
            OnMiss.valueOf(Nodes.oneOf(onMissNode, "enrich 'on_miss'", ON_MISS).toUpperCase(Locale.ROOT));
        return new EnrichConfig(t.location(), lookupName, lookup, text(key, "enrich 'key'"), key, List.copyOf(columns),
            select, optionalText(t, "prefix", "enrich", ""), onMiss);
    }

    private Map<String, LookupConfig> lookups(final ConfigNode inline, final Path base, final String fileName)
    {
        final Map<String, LookupConfig> out = new LinkedHashMap<>();
        if (inline != null)
        {
            addLookups(map(inline, "'lookups'"), out);
        }
        final Path catalog = base.resolve(CATALOG);
        if (Files.isRegularFile(catalog) && !catalog.toAbsolutePath().normalize().equals(
            base.resolve(fileName).toAbsolutePath().normalize()))
        {
            final ConfigNode root = YamlTree.parse(read(catalog), catalog.toString(), env);
            if (!root.isNull())
            {
                final ConfigNode r = map(root, "the lookup catalog");
                keys(r, "the lookup catalog", List.of("lookups"));
                if (r.get("lookups") != null)
                {
                    addLookups(map(r.get("lookups"), "'lookups'"), out);
                }
            }
        }
        return out;
    }

    private static void addLookups(final ConfigNode lookups, final Map<String, LookupConfig> out)
    {
        for (final Map.Entry<String, ConfigNode> e : lookups.entries().entrySet())
        {
            final String name = e.getKey();
            if (out.containsKey(name))
            {
                throw new ConfigException(lookups.keyLocation(name), "lookup '" + name + "' is defined twice (also " +
                    "at " + out.get(name).location() + ")");
            }
            final String what = "lookup '" + name + "'";
            final ConfigNode l = map(e.getValue(), what);
            keys(l, what, LOOKUP_KEYS);
            final ConfigNode type = required(l, "type", what);
            final ConfigNode maxBytes = l.get("max_bytes");
            out.put(name, new LookupConfig(name, lookups.keyLocation(name), text(type, what + " 'type'"),
                type.location(), config(l, what), maxBytes == null ? LookupConfig.DEFAULT_MAX_BYTES :
                Nodes.size(maxBytes, what + " 'max_bytes'"), maxBytes == null ? l.location() : maxBytes.location()));
        }
    }

    private static RuntimeConfig runtime(final ConfigNode node, final Location pipeline,
        final List<SinkConfig> sinks)
    {
        if (node == null)
        {
            return new RuntimeConfig(DEFAULT_RING_SIZE, "backoff", RuntimeConfig.AUTO, Map.of(), pipeline);
        }
        final ConfigNode r = map(node, "'runtime'");
        keys(r, "runtime", RUNTIME_KEYS);
        int ringSize = DEFAULT_RING_SIZE;
        if (r.get("ring_size") != null)
        {
            final ConfigNode n = r.get("ring_size");
            ringSize = (int)Nodes.integer(n, "runtime 'ring_size'", 64, 1 << 24);
            if (Integer.bitCount(ringSize) != 1)
            {
                throw new ConfigException(n.location(), "runtime 'ring_size' must be a power of two (such as 16384), " +
                    "not " + ringSize);
            }
        }
        final long ringBytes = r.get("ring_bytes") == null ? 0 : Nodes.size(r.get("ring_bytes"),
            "runtime 'ring_bytes'");
        if (r.get("ring_bytes") != null && (ringBytes < (1 << 20) || ringBytes > (1L << 30)))
        {
            throw new ConfigException(r.get("ring_bytes").location(), "runtime 'ring_bytes' must be 1MiB to 1GiB " +
                "(the records in flight share it; half of it is the largest record the ring takes), not " + ringBytes);
        }
        final String wait = r.get("wait") == null ? "backoff" : Nodes.oneOf(r.get("wait"), "runtime 'wait'", WAITS);
        final Map<String, StageConfig> stages = new LinkedHashMap<>();
        if (r.get("stages") != null)
        {
            final ConfigNode s = map(r.get("stages"), "runtime 'stages'");
            if (s.get("journal") != null)
            {
                throw new ConfigException(s.keyLocation("journal"), "runtime stages: the journal stage runs on the " +
                    "process stage's thread (it appends each event the process stage settles); configure 'process'");
            }
            final List<String> stageNames = new ArrayList<>(STAGE_NAMES);
            for (final SinkConfig sink : sinks)
            {
                if (sink.named())
                {
                    stageNames.add(sink.stageName());
                }
            }
            keys(s, "runtime stages", stageNames);
            for (final Map.Entry<String, ConfigNode> e : s.entries().entrySet())
            {
                final String what = "stage '" + e.getKey() + "'";
                final ConfigNode st = map(e.getValue(), what);
                keys(st, what, STAGE_KEYS);
                stages.put(e.getKey(), new StageConfig(e.getKey(),
                    st.get("wait") == null ? null : Nodes.oneOf(st.get("wait"), what + " 'wait'",
                        e.getKey().equals("source") ? SOURCE_WAITS : WAITS),
                    st.get("cpu") == null ? null : (int)Nodes.integer(st.get("cpu"), what + " 'cpu'", 0, 4095),
                    st.location()));
            }
        }
        final String threads = r.get("stage_threads") == null ? RuntimeConfig.AUTO :
            Nodes.oneOf(r.get("stage_threads"), "runtime 'stage_threads'", STAGE_THREADS);
        return new RuntimeConfig(ringSize, wait, threads, Map.copyOf(stages), ringBytes, r.location());
    }

    private static MetricsConfig metrics(final ConfigNode node)
    {
        boolean enabled = true;
        String host = "127.0.0.1";
        int port = 9464;
        Duration progress = Duration.ofSeconds(1);
        if (node != null)
        {
            final ConfigNode m = map(node, "'metrics'");
            keys(m, "metrics", METRICS_KEYS);
            if (m.get("prometheus") != null)
            {
                final ConfigNode pr = map(m.get("prometheus"), "metrics 'prometheus'");
                keys(pr, "metrics prometheus", PROMETHEUS_KEYS);
                enabled = pr.get("enabled") == null || Nodes.bool(pr.get("enabled"), "prometheus 'enabled'");
                host = optionalText(pr, "host", "prometheus", host);
                port = pr.get("port") == null ? port : (int)Nodes.integer(pr.get("port"), "prometheus 'port'", 0,
                    65535);
            }
            if (m.get("progress") != null)
            {
                final ConfigNode pg = m.get("progress");
                progress = "off".equals(pg.text()) ? Duration.ZERO : Nodes.duration(pg, "metrics 'progress'");
            }
        }
        return new MetricsConfig(enabled, host, port, progress);
    }

    private static JournalConfig journal(final ConfigNode node, final Location pipeline, final Path base)
    {
        final JournalConfig unset = JournalConfig.unset(pipeline);
        if (node == null || node.isNull())
        {
            return unset;
        }
        final ConfigNode j = map(node, "'journal'");
        keys(j, "journal", JOURNAL_KEYS);
        final Boolean enabled = j.get("enabled") == null ? null : Nodes.bool(j.get("enabled"), "journal 'enabled'");
        final Path path = j.get("path") == null ? null : base.resolve(text(j.get("path"), "journal 'path'"));
        final String roll = j.get("roll_cycle") == null ? unset.rollCycle() :
            Nodes.oneOf(j.get("roll_cycle"), "journal 'roll_cycle'", ROLL_CYCLES);
        Duration time = unset.retentionTime();
        long size = unset.retentionSize();
        if (j.get("retention") != null)
        {
            final ConfigNode r = map(j.get("retention"), "journal 'retention'");
            keys(r, "journal retention", RETENTION_KEYS);
            time = r.get("time") == null ? time : Nodes.duration(r.get("time"), "journal retention 'time'");
            if (r.get("size") != null)
            {
                size = Nodes.size(r.get("size"), "journal retention 'size'");
                if (size < (1L << 20))
                {
                    throw new ConfigException(r.get("size").location(), "journal retention 'size' must be at least " +
                        "1MiB (it is the journal's disk budget), not " + size + " bytes");
                }
            }
        }
        String sync = unset.sync();
        if (j.get("sync") != null)
        {
            sync = text(j.get("sync"), "journal 'sync'");
            try
            {
                dev.dataforge.journal.SyncPolicy.parse(sync);
            }
            catch (final IllegalArgumentException e)
            {
                throw new ConfigException(j.get("sync").location(), "journal 'sync': " + e.getMessage());
            }
        }
        return new JournalConfig(enabled, path, roll, time, size, sync, j.location());
    }

    private static DeadLetterConfig deadLetter(final ConfigNode node, final Location pipeline)
    {
        if (node == null || node.isNull())
        {
            return new DeadLetterConfig(DeadLetterConfig.FILE, pipeline, ConfigNode.emptyMap(pipeline), pipeline);
        }
        final ConfigNode d = map(node, "'dead_letter'");
        final ConfigNode type = d.get("type");
        for (final String key : d.entries().keySet())
        {
            if (!DEAD_LETTER_KEYS.contains(key))
            {
                throw new ConfigException(d.keyLocation(key), "unknown key '" + key + "' in dead_letter; " +
                    "a dead-letter queue is a connector like a sink: its options go under 'config:', e.g. " +
                    "dead_letter: {type: " + (type == null || type.isNull() ? DeadLetterConfig.FILE : type.text()) +
                    ", config: {" + key + ": ...}} (see ./run.sh connectors)");
            }
        }
        if (type == null || type.isNull())
        {
            return new DeadLetterConfig(DeadLetterConfig.FILE, d.location(), config(d, "dead_letter"), d.location());
        }
        return new DeadLetterConfig(text(type, "dead_letter 'type'"), type.location(), config(d, "dead_letter"),
            d.location());
    }
}
