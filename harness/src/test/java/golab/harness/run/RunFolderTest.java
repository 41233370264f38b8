package golab.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

    private static final Instant START = Instant.parse("2026-11-27T10:55:00.750Z");

    @TempDir
    Path directory;

    @Test
    void theIdIsTheUtcStartTime() throws IOException {
        Path runs = directory.resolve("results/runs");

        RunFolder folder = RunFolder.create(runs, START);

        assertThat(folder.id()).isEqualTo("20261127T105500Z");
        assertThat(folder.path()).isDirectory().isEqualTo(runs.resolve("20261127T105500Z"));
        assertThat(folder.manifest()).isEqualTo(folder.path().resolve("manifest.json"));
        assertThat(folder.jmhResult()).isEqualTo(folder.path().resolve("jmh.json"));
        assertThat(folder.report()).isEqualTo(folder.path().resolve("report.md"));
    }

    @Test
    void runsStartedInTheSameSecondGetASuffix() throws IOException {
        RunFolder first = RunFolder.create(directory, START);
        RunFolder second = RunFolder.create(directory, START);
        RunFolder third = RunFolder.create(directory, START.plusMillis(100));

        assertThat(first.id()).isEqualTo("20261127T105500Z");
        assertThat(second.id()).isEqualTo("20261127T105500Z-2");
        assertThat(third.id()).isEqualTo("20261127T105500Z-3");
    }
}
