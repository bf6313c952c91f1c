package dev.dataforge.core.pipeline;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.deadletter.DeadLetterQueueFactory;
import dev.dataforge.api.lookup.LookupFactory;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.api.source.SourceFactory;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.Names;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.config.DeadLetterConfig;
import dev.dataforge.core.config.EnrichConfig;
import dev.dataforge.core.config.FilterConfig;
import dev.dataforge.core.config.LookupConfig;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.RouteConfig;
import dev.dataforge.core.config.SinkConfig;
import dev.dataforge.core.config.TransformConfig;
import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.expr.ExpressionCompiler;
import dev.dataforge.core.expr.ExpressionException;
import dev.dataforge.core.processing.lookup.LiveEnricher;
import dev.dataforge.core.processing.lookup.LiveLookup;
import dev.dataforge.core.processing.lookup.LookupTable;
import dev.dataforge.core.processing.lookup.LookupTableBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a pipeline config into a {@link PipelinePlan}: binds each connector's config to its spec, compiles filter
 * conditions against the layout they see, loads lookup tables and lays out enriched columns. Every problem is a
 * {@link ConfigException} pointing into the file.
 */
public final class PipelinePlanner
{
    private static final String EVENT_PREFIX = "event.";

    private final Connectors connectors;

    public PipelinePlanner(final Connectors connectors)
    {
        this.connectors = connectors;
    }

    public PipelinePlan plan(final PipelineConfig config)
    {
        final SourceFactory sourceFactory = connectors.source(config.source().type(), config.source().typeLocation());
        final ConfigValues sourceConfig = sourceFactory.spec().bind(config.source().config(),
            "source '" + config.source().type() + "'", config.baseDirectory());
        final RecordLayout sourceLayout;
        try
        {
            sourceLayout = sourceFactory.layout(sourceConfig);
        }
        catch (final ConfigException e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            throw new ConfigException(config.source().typeLocation(), "source '" + config.source().type() +
                "': cannot determine the event schema: " + e.getMessage());
        }

        RecordLayout layout = sourceLayout;
        final List<TransformPlan> transforms = new ArrayList<>();
        final Map<String, LiveLookup> tables = new java.util.LinkedHashMap<>();
        int index = 0;
        for (final TransformConfig t : config.transforms())
        {
            index++;
            if (t instanceof FilterConfig)
            {
                final FilterConfig f = (FilterConfig)t;
                transforms.add(new TransformPlan.Filter("filter." + index, compile(f, layout)));
            }
            else if (t instanceof RouteConfig)
            {
                transforms.add(route("route." + index, (RouteConfig)t, config.sinks(), layout));
            }
            else
            {
                final EnrichConfig e = (EnrichConfig)t;
                final LiveLookup lookup = tables.computeIfAbsent(e.lookup(), name -> load(config, e));
                final Field key = field(e.key(), e.keyNode(), layout, "enrich key");
                final LiveEnricher enricher;
                try
                {
                    enricher = new LiveEnricher(lookup.table(), key, e.select(), e.prefix(), layout);
                    lookup.add(enricher);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new ConfigException(e.selectNode() != null ? e.selectNode().location() : e.location(),
                        "enrich with lookup '" + e.lookup() + "': " + ex.getMessage());
                }
                layout = enricher.layout();
                transforms.add(new TransformPlan.Enrich("enrich." + index, e.lookup(), enricher, e.onMiss()));
            }
        }

        final List<SinkPlan> sinks = new ArrayList<>();
        for (final SinkConfig s : config.sinks())
        {
            final SinkFactory sinkFactory = connectors.sink(s.type(), s.typeLocation());
            final DeadLetterConfig d = s.deadLetter();
            final DeadLetterQueueFactory deadLetterFactory = connectors.deadLetterQueue(d.type(), d.typeLocation());
            sinks.add(new SinkPlan(s, sinks.size(), sinkFactory, sinkFactory.spec().bind(s.config(),
                s.named() ? "sink '" + s.name() + "' (" + s.type() + ")" : "sink '" + s.type() + "'",
                config.baseDirectory()), deadLetterFactory, deadLetterFactory.spec().bind(d.config(),
                "dead_letter '" + d.type() + "'" + (s.named() ? " of sink '" + s.name() + "'" : ""),
                config.baseDirectory())));
        }
        final PipelinePlan plan = new PipelinePlan(config, sourceLayout, layout, sourceFactory, sourceConfig,
            List.copyOf(transforms), List.copyOf(sinks), List.copyOf(tables.values()));
        for (final SinkPlan s : sinks)
        {
            s.deadLetterFactory().check(plan.deadLetterContext(s, plan.plannedSource()));
        }
        return plan;
    }

    private static Condition compile(final FilterConfig f, final RecordLayout layout)
    {
        try
        {
            return ExpressionCompiler.compileCondition(f.condition(), layout);
        }
        catch (final ExpressionException e)
        {
            throw new ConfigException(f.conditionNode().locationAt(e.position()), "filter condition: " + e.reason());
        }
    }

    private static TransformPlan.Route route(final String name, final RouteConfig r, final List<SinkConfig> sinks,
        final RecordLayout layout)
    {
        final List<Condition> conditions = new ArrayList<>();
        final long[] masks = new long[r.routes().size()];
        for (int i = 0; i < masks.length; i++)
        {
            final RouteConfig.Route route = r.routes().get(i);
            try
            {
                conditions.add(ExpressionCompiler.compileCondition(route.condition(), layout));
            }
            catch (final ExpressionException e)
            {
                throw new ConfigException(route.conditionNode().locationAt(e.position()), "route " + (i + 1) +
                    " 'when': " + e.reason());
            }
            masks[i] = mask(route.to(), sinks);
        }
        return new TransformPlan.Route(name, List.copyOf(conditions), masks, mask(r.defaultSinks(), sinks));
    }

    /** @return bit {@code i} set for each named sink, {@code i} its place among the pipeline's sinks. */
    private static long mask(final List<String> names, final List<SinkConfig> sinks)
    {
        long mask = 0;
        for (int i = 0; i < sinks.size(); i++)
        {
            if (names.contains(sinks.get(i).name()))
            {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    private LiveLookup load(final PipelineConfig config, final EnrichConfig e)
    {
        final LookupConfig lookup = config.lookups().get(e.lookup());
        if (lookup == null)
        {
            throw new ConfigException(e.lookupNode().location(), "undefined lookup '" + e.lookup() + "'" +
                Names.didYouMean(e.lookup(), config.lookups().keySet()));
        }
        final LookupFactory factory = connectors.lookup(lookup.type(), lookup.typeLocation());
        final ConfigValues values = factory.spec().bind(lookup.config(), "lookup '" + lookup.name() + "'",
            config.baseDirectory());
        LookupSource source = null;
        try
        {
            source = factory.open(lookup.name(), values, config.baseDirectory());
            final LookupTable first = source.live() ? LookupTableBuilder.buildLive(lookup.name(), source.initial()) :
                LookupTableBuilder.build(lookup.name(), source.initial());
            if (first.bytes() > lookup.maxBytes())
            {
                throw new ConfigException(lookup.maxBytesLocation(), "lookup '" + lookup.name() + "' needs " +
                    first.bytes() + " bytes for " + first.size() + " rows, more than max_bytes " + lookup.maxBytes() +
                    " (raise max_bytes, or select fewer or narrower columns)");
            }
            return new LiveLookup(lookup.name(), source, first, lookup.maxBytes());
        }
        catch (final ConfigException ex)
        {
            closeQuietly(source);
            throw ex;
        }
        catch (final Exception ex)
        {
            closeQuietly(source);
            throw new ConfigException(lookup.location(), "lookup '" + lookup.name() + "': " + ex.getMessage());
        }
    }

    private static void closeQuietly(final LookupSource source)
    {
        if (source != null)
        {
            try
            {
                source.close();
            }
            catch (final Exception ignored)
            {
                // the failure being reported matters more
            }
        }
    }

    /** Resolves {@code event.name} against a layout, or reports where and what is wrong. */
    static Field field(final String path, final ConfigNode node, final RecordLayout layout, final String what)
    {
        if (path == null || !path.startsWith(EVENT_PREFIX))
        {
            throw new ConfigException(node.location(), what + " must be a field path such as event.user_id, not '" +
                path + "'");
        }
        final String name = path.substring(EVENT_PREFIX.length());
        final Field field = layout.field(name);
        final int pathAt = field == null ? layout.pathStart(name) : -1;
        if (pathAt > 0)
        {
            final Field json = layout.field(name.substring(0, pathAt));
            if (json.type() == dev.dataforge.codec.FieldType.JSON)
            {
                throw new ConfigException(node.locationAt(EVENT_PREFIX.length()), what + " '" + name + "' is a path " +
                    "inside the json field '" + json.name() + "'; " + what + "s read fields: flatten the object " +
                    "(source config flatten: [" + json.name() + ", ...]) so that its member is a column");
            }
        }
        if (field == null)
        {
            throw new ConfigException(node.locationAt(EVENT_PREFIX.length()), what + ": unknown field '" + name +
                "'" + Names.didYouMean(name, layout.fieldNames()) + " (fields: " +
                String.join(", ", layout.fieldNames()) + ")");
        }
        return field;
    }
}
