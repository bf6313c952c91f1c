package dev.dataforge.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard in {@code ops/grafana} is what Grafana's import takes (a dashboard model with its datasource
 * input, panels with positions and queries), and every query names a metric the exporter serves, with labels the
 * metric has.
 */
class GrafanaDashboardTest
{
    private static final Path DASHBOARD = Path.of("..", "ops", "grafana", "dataforge-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:dataforge|jvm|process)_[a-z_]+)\\b");
    private static final Pattern BY = Pattern.compile("by \\(([a-z_, ]+)\\)");
    private static final Set<String> PROMETHEUS_LABELS = Set.of("instance", "job", "le");

    @Test
    void everyQueryNamesAMetricAndLabelsWeExport() throws Exception
    {
        final JsonNode d = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertEquals("dataforge-pipelines", d.path("uid").asText());
        assertTrue(d.path("schemaVersion").asInt() >= 36, "schemaVersion");
        assertEquals("DS_PROMETHEUS", d.path("__inputs").path(0).path("name").asText());
        assertEquals("prometheus", d.path("__inputs").path(0).path("pluginId").asText());

        final Map<String, Metrics.MetricFamily> served = servedFamilies();
        final Set<String> titles = new HashSet<>();
        final Set<Integer> ids = new HashSet<>();
        final Set<String> used = new TreeSet<>();
        assertTrue(d.path("panels").size() >= 10, "panels");
        for (final JsonNode panel : d.path("panels"))
        {
            final String title = panel.path("title").asText();
            assertFalse(title.isEmpty(), "a panel without a title: " + panel);
            assertTrue(titles.add(title), "two panels titled " + title);
            assertTrue(ids.add(panel.path("id").asInt()), "two panels with id " + panel.path("id"));
            assertFalse(panel.path("type").asText().isEmpty(), title + ": type");
            for (final String g : new String[] {"x", "y", "w", "h"})
            {
                assertTrue(panel.path("gridPos").path(g).isInt(), title + ": gridPos." + g);
            }
            assertTrue(panel.path("gridPos").path("x").asInt() + panel.path("gridPos").path("w").asInt() <= 24,
                title + " is wider than the grid");
            assertEquals("${DS_PROMETHEUS}", panel.path("datasource").path("uid").asText(), title + ": datasource");
            assertTrue(panel.path("targets").size() > 0, title + ": no query");
            for (final JsonNode target : panel.path("targets"))
            {
                final String expr = target.path("expr").asText();
                assertFalse(target.path("refId").asText().isEmpty(), title + ": refId");
                assertEquals(count(expr, '('), count(expr, ')'), title + ": unbalanced parentheses in " + expr);
                final Matcher m = METRIC.matcher(expr);
                boolean any = false;
                while (m.find())
                {
                    any = true;
                    final String name = m.group(1);
                    final Metrics.MetricFamily family = family(served, name);
                    assertTrue(family != null, title + ": " + name + " is not served (served: " +
                        served.keySet() + ")");
                    used.add(family.getName());
                    final Matcher by = BY.matcher(expr);
                    while (by.find())
                    {
                        for (final String label : by.group(1).split(",\\s*"))
                        {
                            assertTrue(PROMETHEUS_LABELS.contains(label) || hasLabel(family, label),
                                title + ": " + family.getName() + " has no label " + label);
                        }
                    }
                }
                assertTrue(any, title + ": a query that names no metric: " + expr);
            }
        }
        for (final String needed : new String[] {"dataforge_stage_events_total", "dataforge_source_lag",
            "dataforge_end_to_end_latency_seconds", "dataforge_sink_commits_total", "dataforge_sink_retries_total",
            "dataforge_pipeline_state"})
        {
            assertTrue(used.contains(needed), "the dashboard does not show " + needed + " (it shows " + used + ")");
        }
        for (final JsonNode v : d.path("templating").path("list"))
        {
            final Matcher m = METRIC.matcher(v.path("definition").asText());
            assertTrue(m.find() && family(served, m.group(1)) != null, "variable " + v.path("name"));
        }
    }

    private static long count(final String s, final char c)
    {
        return s.chars().filter(x -> x == c).count();
    }

    /** @return the served family a query's series name belongs to ({@code x_bucket}, {@code x_sum} are x's). */
    private static Metrics.MetricFamily family(final Map<String, Metrics.MetricFamily> served, final String name)
    {
        for (final String suffix : new String[] {"", "_bucket", "_sum", "_count"})
        {
            if (name.endsWith(suffix))
            {
                final Metrics.MetricFamily f = served.get(name.substring(0, name.length() - suffix.length()));
                if (f != null && (suffix.isEmpty() || f.getType() == Metrics.MetricType.HISTOGRAM ||
                    f.getType() == Metrics.MetricType.SUMMARY && !suffix.equals("_bucket")))
                {
                    return f;
                }
            }
        }
        return null;
    }

    private static boolean hasLabel(final Metrics.MetricFamily family, final String label)
    {
        for (final Metrics.Metric m : family.getMetricList())
        {
            for (final Metrics.LabelPair l : m.getLabelList())
            {
                if (l.getName().equals(label))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every family a running pipeline serves: one of each kind of series present. */
    private static Map<String, Metrics.MetricFamily> servedFamilies() throws Exception
    {
        final PipelineMetrics metrics = new PipelineMetrics("p");
        metrics.stage(PipelineMetrics.SOURCE).out().add(1);
        metrics.stage(PipelineMetrics.PROCESS).latency().record(1_000);
        metrics.transform("filter.1").filtered().add(1);
        metrics.source(() -> Map.of(0, 5L), () -> 0);
        metrics.topic("user-events");
        metrics.sink("duckdb", PipelineMetrics.SINK);
        metrics.lookups(java.util.List.of(new LookupStats()
        {
            public String name()
            {
                return "user_profiles";
            }

            public int rows()
            {
                return 10;
            }

            public long bytes()
            {
                return 1000;
            }

            public long refreshes()
            {
                return 1;
            }

            public long failures()
            {
                return 0;
            }

            public long lastRefreshMillis()
            {
                return System.currentTimeMillis();
            }

            public String failing()
            {
                return null;
            }

            public boolean live()
            {
                return true;
            }
        }));
        try (PrometheusExporter exporter = PrometheusExporter.start(metrics, "127.0.0.1", 0))
        {
            return Scrape.families(exporter.port());
        }
    }
}
