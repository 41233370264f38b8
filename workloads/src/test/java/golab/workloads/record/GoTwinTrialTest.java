package golab.workloads.record;

import static golab.workloads.InProcessTrials.intervals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Go twin of the request server ({@code workloads/go/requestserver}) records a trial that golab's own readers
 * take as it is: its {@code .hlog} files parse with HdrHistogram's {@link HistogramLogReader}, its
 * {@code trial.json} with Jackson into a {@link TrialManifest}; and the twins' Go tests pass. Runs only where
 * {@code go} is on the PATH.
 */
class GoTwinTrialTest {

    private static final Path GO_SOURCES = Path.of(System.getProperty("basedir", ".")).resolve("go");

    @TempDir
    Path directory;

    /** The twins' own Go tests (the HdrHistogram encoding, the trial folder, the byte sizes), run by the build. */
    @Test
    void theGoTestsPass() throws Exception {
        assumeTrue(goAvailable(), "the Go toolchain (`go` on the PATH) runs the Go tests");
        run(GO_SOURCES, 300, "go", "vet", "./...");
        run(GO_SOURCES, 300, "go", "test", "./...");
    }

    @Test
    void theRequestServerTwinRecordsATrialThatGolabReads() throws Exception {
        assumeTrue(goAvailable(), "the Go toolchain (`go` on the PATH) is needed to build the Go twin");
        Path binary = directory.resolve("requestserver");
        run(GO_SOURCES, 120, "go", "build", "-o", binary.toString(), "./requestserver");
        Path trials = directory.resolve("trials");

        run(directory, 20, binary.toString(), "-trials", trials.toString(), "-warmup", "1", "-iterations", "1",
                "-iteration", "500ms", "-live", "16MiB", "-rate", "1000", "-gomaxprocs", "2");

        Path fork = onlyFork(trials.resolve("go.requestserver"));
        assertThat(fork.getParent().getFileName().toString())
                .isEqualTo("arrival=poisson,gogc=100,gomaxprocs=2,gomemlimit=off,liveHeap=16MiB,rate=1000");
        TrialManifest manifest = new ObjectMapper().readValue(fork.resolve(TrialFolder.TRIAL).toFile(),
                TrialManifest.class);
        assertThat(manifest.status()).isEqualTo(TrialManifest.COMPLETE);
        assertThat(manifest.benchmark()).isEqualTo("go.requestserver");
        assertThat(manifest.endedAt()).isNotNull();
        assertThat(manifest.streams())
                .containsExactlyInAnyOrder("latency", "latency-from-issue", "gc-pauses", "sched-latencies",
                        "hiccup-goroutine");
        assertThat(manifest.iterations()).extracting(TrialManifest.Iteration::type)
                .containsExactly(TrialFolder.WARMUP, TrialFolder.MEASUREMENT);

        for (String stream : manifest.streams()) {
            List<Histogram> intervals = intervals(fork.resolve(stream + TrialFolder.HLOG_SUFFIX));
            assertThat(intervals).as(stream).extracting(Histogram::getTag)
                    .containsExactly(TrialFolder.WARMUP, TrialFolder.MEASUREMENT);
            if (stream.startsWith("latency") || stream.equals("hiccup-goroutine")) {
                for (Histogram interval : intervals) {
                    assertThat(interval.getTotalCount()).as(stream).isPositive();
                    assertThat(interval.getValueAtPercentile(50)).as(stream).isPositive()
                            .isLessThanOrEqualTo(interval.getMaxValue());
                }
            }
        }

        JsonNode metrics = new ObjectMapper().readTree(fork.resolve(TrialFolder.METRICS).toFile());
        assertThat(metrics.get("iterations")).hasSize(2);
        assertThat(metrics.get("iterations").get(1).get("runtime").get("/gc/heap/allocs:bytes").asLong()).isPositive();
        assertThat(Files.readString(fork.resolve(TrialFolder.GCTRACE))).contains("gc 1 @");
    }

    private static Path onlyFork(Path benchmark) throws IOException {
        try (Stream<Path> forks = Files.find(benchmark, 2, (p, a) -> p.getFileName().toString().startsWith("fork-"))) {
            List<Path> found = forks.toList();
            assertThat(found).hasSize(1);
            return found.getFirst();
        }
    }

    private static boolean goAvailable() {
        try {
            Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a command and fails with its output unless it exits with 0 within the time limit. */
    private static void run(Path workingDirectory, int seconds, String... command) throws Exception {
        File log = Files.createTempFile("go-twin", ".log").toFile();
        try {
            Process p = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log).start();
            boolean exited = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
            }
            String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertThat(exited && p.exitValue() == 0).as("%s exited with 0 in %d s; output:%n%s",
                    String.join(" ", command), seconds, output).isTrue();
        } finally {
            log.delete();
        }
    }
}
