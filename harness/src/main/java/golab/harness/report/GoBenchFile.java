package golab.harness.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code go-bench.json} of a run folder: what {@code go test -bench} measured for the Go twins of the run's
 * micro-benchmarks, parsed from Go's own output (kept beside it, unmodified, as {@code go-bench.txt}).
 *
 * @param goVersion   {@code go version}'s answer
 * @param invocations each {@code go test} command run, in workloads/go, and its exit status
 * @param results     one per golab benchmark and parameter set that Go measured
 */
public record GoBenchFile(String goVersion, List<Invocation> invocations, List<GoBenchResult> results) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One {@code go test} run and its exit status (non-zero: a benchmark failed or the package did not build). */
    public record Invocation(List<String> command, int exitCode) {

        public Invocation {
            command = List.copyOf(command);
        }
    }

    public GoBenchFile {
        invocations = List.copyOf(invocations);
        results = List.copyOf(results);
    }

    public static GoBenchFile read(Path file) throws IOException {
        GoBenchFile read = MAPPER.readValue(file.toFile(), GoBenchFile.class);
        if (read.goVersion() == null) {
            throw new IOException("no goVersion");
        }
        return read;
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("a Go result that Jackson cannot write", e);
        }
    }
}
