package golab.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the primary metrics out of a JMH result file ({@code -rf json}): a top-level array with
 * one object per (benchmark, mode, parameter values). Secondary metrics are left to the tools
 * that read the file unmodified.
 */
public final class JmhResultFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhResultFile() {}

    public static List<JmhResult> read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static List<JmhResult> parse(String json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isArray()) {
            throw new IOException("not a JMH JSON result: the top level must be an array of benchmark results");
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonNode run : root) {
            results.add(toResult(run));
        }
        return results;
    }

    private static JmhResult toResult(JsonNode run) throws IOException {
        JsonNode primary = required(run, "primaryMetric");
        Map<String, String> params = new TreeMap<>();
        run.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        RunKey key = RunKey.of(required(run, "benchmark").asText(), required(run, "mode").asText(), params);
        // JMH writes a NaN error as the string "NaN"; asDouble() parses that string too.
        return new JmhResult(key, required(primary, "score").asDouble(),
                required(primary, "scoreError").asDouble(), required(primary, "scoreUnit").asText());
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException("JMH result without \"" + field + "\": " + node);
        }
        return value;
    }
}
