package golab.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import golab.harness.CommandLineRun;
import golab.harness.GolabHome;
import golab.harness.run.StoredRun;
import golab.harness.run.StoredTrial;
import golab.workloads.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @Test
    void optionsJmhRejectsAreAUsageError() {
        CommandLineRun unknown = CommandLineRun.of("bench", "-x");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("golab bench: JMH rejected the arguments", "x is not a recognized option");

        CommandLineRun missingValue = CommandLineRun.of("bench", "-f");
        assertThat(missingValue.exitCode()).isEqualTo(2);
        assertThat(missingValue.err()).contains("requires an argument");
    }

    @Test
    void jmhOptionsAreNotMistakenForGolabOptions() {
        // To a POSIX-style parser -prof could be the cluster -p -r -o -f; it must reach JMH whole.
        CommandLineRun run = CommandLineRun.of("bench", "-prof", "gc", "-lrf");

        assertThat(run.exitCode()).isZero();
    }

    @TempDir
    Path runs;

    @Test
    void aRunWritesAFolderThatReadsBack() {
        CommandLineRun run = CommandLineRun.of("bench", "--seed", "42", "--out", runs.toString(),
                "golab.workloads.lab.Imbalance",
                "-f", "1", "-wi", "1", "-w", "200ms", "-i", "1", "-r", "300ms",
                "-p", "gomaxprocs=2", "-p", "burst=64", "-p", "rounds=5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        Path folder = Path.of(lines.getLast());
        assertThat(folder.getParent()).isEqualTo(runs);
        StoredRun stored = StoredRun.read(folder);
        assertThat(stored.manifest().command()).startsWith("golab", "bench");
        assertThat(stored.manifest().seed()).isEqualTo(42);
        assertThat(stored.manifest().failedRuns()).isEmpty();
        assertThat(stored.results()).hasSize(1);
        assertThat(stored.trials()).hasSize(1);
        StoredTrial trial = stored.trials().getFirst();
        assertThat(trial.manifest().params()).containsEntry("burst", "64").containsEntry("gomaxprocs", "2");
        assertThat(trial.measurement(Workload.HICCUP_GOROUTINE).getTotalCount()).isPositive();
    }

    @Test
    void aRequestServerRunIsJoinedByItsGoTwin() {
        assumeTrue(goOnPath(), "the Go toolchain (`go` on the PATH) runs the Go twin");
        System.setProperty(GolabHome.PROPERTY, Path.of("..").toAbsolutePath().normalize().toString());
        try {
            CommandLineRun run = CommandLineRun.of("bench", "--out", runs.toString(), "golab.workloads.lab.RequestServer",
                    "-f", "1", "-wi", "1", "-w", "300ms", "-i", "1", "-r", "500ms",
                    "-p", "gomaxprocs=1", "-p", "liveHeap=4MiB", "-p", "rate=1000");

            assertThat(run.exitCode()).as(run.err()).isZero();
            StoredRun stored = StoredRun.read(Path.of(run.out().lines().toList().getLast()));
            StoredTrial go = stored.trialsOf("go.requestserver").getFirst();
            assertThat(go.manifest().params()).containsEntry("rate", "1000").containsEntry("liveHeap", "4MiB")
                    .containsEntry("gomaxprocs", "1");
            assertThat(go.manifest().iterations()).hasSize(2);
            assertThat(go.measurement(Workload.LATENCY).getTotalCount()).isPositive();
            assertThat(stored.trialsOf("golab.workloads.lab.RequestServer.serve")).hasSize(1);
        } finally {
            System.clearProperty(GolabHome.PROPERTY);
        }
    }

    private static boolean goOnPath() {
        try {
            return new ProcessBuilder("go", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void badParametersAreRejectedBeforeAnythingRuns() throws IOException {
        assertRejected("-p nosuch: no selected benchmark has this parameter; theirs are ", "-p", "nosuch=1");
        assertRejected("-p rate=fast: golab.workloads.lab.RequestServer.serve declares rate as int; allowed values "
                + "are whole numbers", "-p", "rate=fast");
        assertRejected("-p gogc=sometimes: GOGC=sometimes: allowed values are \"off\" or a non-negative integer",
                "-p", "gogc=sometimes");
        assertRejected("-p liveHeap=lots: liveHeap=lots: allowed values are a number of bytes", "-p", "liveHeap=lots");
        assertRejected("-p liveHeap=64TiB (gogc=100, gomemlimit=off): the heap would grow to 131072.0 GiB, more than "
                + "this machine's", "-p", "liveHeap=64TiB");
        assertRejected("-p gomaxprocs=0: GOMAXPROCS=0: allowed values are integers from 1 to 1024", "-p",
                "gomaxprocs=0");
        CommandLineRun unknown = CommandLineRun.of("bench", "--out", runs.toString(), "golab.workloads.NoSuchWorkload");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no benchmark matches golab.workloads.NoSuchWorkload");
        try (Stream<Path> created = Files.list(runs)) {
            assertThat(created).as("run folders").isEmpty();
        }
    }

    private void assertRejected(String message, String... parameters) {
        String[] args = Stream.concat(Stream.of("bench", "--out", runs.toString(), "golab.workloads.lab.RequestServer"),
                Stream.of(parameters)).toArray(String[]::new);
        CommandLineRun run = CommandLineRun.of(args);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
