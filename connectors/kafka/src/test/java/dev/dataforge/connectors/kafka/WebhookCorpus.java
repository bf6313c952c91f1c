package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real, nested JSON for tests: the GitHub webhook payloads of the npm package {@code @octokit/webhooks-examples}
 * (MIT), which the build fetches into {@code target/corpus} (execution {@code webhooks-corpus} of the download
 * plugin, phase generate-test-resources; its version is {@code corpus.webhooks.version} in the parent pom). Nothing
 * of it is committed. The same loader as perf's {@code dev.dataforge.perf.WebhookCorpus}.
 * <p>
 * The file read is {@code package/api.github.com/index.json}: an array of {@code {"name": ..., "examples": [...]}},
 * one entry per webhook event, each example a payload object.
 */
final class WebhookCorpus
{
    /** The system property that names the corpus's index.json (surefire sets it to the one in target/corpus). */
    static final String PROPERTY = "dataforge.corpus";

    /** Where the build puts index.json, relative to the module directory. */
    static final String IN_MODULE = "target/corpus/package/api.github.com/index.json";

    private WebhookCorpus()
    {
    }

    /** @return the corpus's index.json: the system property {@value #PROPERTY} when set, else {@value #IN_MODULE}. */
    static Path locate()
    {
        final String given = System.getProperty(PROPERTY);
        return given != null && !given.isBlank() ? Path.of(given) : Path.of(IN_MODULE);
    }

    /**
     * Reads every example of every event, in file order, each as one compact UTF-8 JSON object. Examples are
     * parsed and written again by Jackson, so the bytes are not the file's but the values are the same.
     *
     * @param indexJson the package's {@code api.github.com/index.json}.
     * @return the examples, not empty.
     * @throws IllegalStateException when the file is missing (naming the build step that fetches it), or holds no
     * examples.
     * @throws UncheckedIOException when it cannot be read or is not JSON.
     */
    static List<byte[]> load(final Path indexJson)
    {
        if (!Files.isRegularFile(indexJson))
        {
            throw new IllegalStateException("no webhook corpus at " + indexJson.toAbsolutePath() + ": mvn -pl " +
                "connectors/kafka generate-test-resources fetches it");
        }
        final ObjectMapper mapper = new ObjectMapper();
        final List<byte[]> out = new ArrayList<>();
        try
        {
            for (final JsonNode event : mapper.readTree(indexJson.toFile()))
            {
                for (final JsonNode example : event.path("examples"))
                {
                    out.add(mapper.writeValueAsBytes(example));
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the webhook corpus " + indexJson, e);
        }
        if (out.isEmpty())
        {
            throw new IllegalStateException("the webhook corpus " + indexJson + " holds no examples");
        }
        return List.copyOf(out);
    }
}
