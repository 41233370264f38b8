package golab.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {

    /** Stands for a command's settings. */
    record Settings(List<Integer> gomaxprocs, int forks) {}

    private static final JdkInfo JDK = new JdkInfo("25.0.3", "Eclipse Adoptium", "OpenJDK 64-Bit Server VM",
            "25.0.3+9-LTS", "/usr/lib/jvm/temurin-25-jdk-amd64",
            List.of("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"));
    private static final MachineInfo MACHINE = new MachineInfo("AMD EPYC 7B13", 2, 24L << 30, "Linux 6.18 (amd64)");

    @TempDir
    Path directory;

    private final RunManifest<Settings> started = RunManifest.started("20261127T105500Z",
            List.of("golab", "sweep", "--forks", "2"), new Settings(List.of(1, 2), 2), JDK, MACHINE,
            new GitState("0123456789abcdef0123456789abcdef01234567", true), "1.37", 1,
            List.of("a.B.golabSpawn thrpt gomaxprocs=1", "a.B.golabSpawn thrpt gomaxprocs=2"),
            Instant.parse("2026-11-27T10:55:00.750Z"));

    @Test
    void aStartedRunIsIncompleteAndHasNoEnd() throws IOException {
        JsonNode json = written(started);

        assertThat(json.get("id").asText()).isEqualTo("20261127T105500Z");
        assertThat(json.get("status").asText()).isEqualTo("incomplete");
        assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-27T10:55:00Z");
        assertThat(json.get("endedAt").isNull()).isTrue();
        assertThat(json.get("failedRuns")).isEmpty();
    }

    @Test
    void recordsParametersJdkMachineAndSource() throws IOException {
        JsonNode json = written(started);

        assertThat(json.get("command").toString()).isEqualTo("[\"golab\",\"sweep\",\"--forks\",\"2\"]");
        assertThat(json.at("/parameters/gomaxprocs").toString()).isEqualTo("[1,2]");
        assertThat(json.at("/parameters/forks").asInt()).isEqualTo(2);
        assertThat(json.at("/jdk/version").asText()).isEqualTo("25.0.3");
        assertThat(json.at("/jdk/vendor").asText()).isEqualTo("Eclipse Adoptium");
        assertThat(json.at("/jdk/jvmFlags/0").asText()).isEqualTo("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        assertThat(json.at("/machine/cpuModel").asText()).isEqualTo("AMD EPYC 7B13");
        assertThat(json.at("/machine/cores").asInt()).isEqualTo(2);
        assertThat(json.at("/machine/os").asText()).isEqualTo("Linux 6.18 (amd64)");
        assertThat(json.at("/git/commit").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(json.at("/git/dirty").asBoolean()).isTrue();
        assertThat(json.get("jmhVersion").asText()).isEqualTo("1.37");
        assertThat(json.get("seed").asLong()).isEqualTo(1);
        assertThat(json.get("plannedRuns")).hasSize(2);
    }

    @Test
    void aCompletedRunHasItsEndAndFailures() throws IOException {
        RunManifest<Settings> completed = started.completed(Instant.parse("2026-11-27T10:59:30.100Z"),
                List.of("a.B.golabSpawn thrpt gomaxprocs=2"));

        JsonNode json = written(completed);

        assertThat(json.get("status").asText()).isEqualTo("complete");
        assertThat(json.get("endedAt").asText()).isEqualTo("2026-11-27T10:59:30Z");
        assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-27T10:55:00Z");
        assertThat(json.get("failedRuns").toString()).isEqualTo("[\"a.B.golabSpawn thrpt gomaxprocs=2\"]");
    }

    @Test
    void outsideAGitCheckoutTheSourceIsNull() throws IOException {
        RunManifest<Settings> noGit = new RunManifest<>(started.id(), started.status(), started.command(),
                started.parameters(), JDK, MACHINE, null, "1.37", 1, List.of(), List.of(), started.startedAt(), null);

        assertThat(written(noGit).get("git").isNull()).isTrue();
    }

    @Test
    void theCurrentJdkIsTheOneRunningThisTest() {
        JdkInfo jdk = JdkInfo.current();

        assertThat(jdk.version()).isEqualTo(System.getProperty("java.version"));
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(25);
        assertThat(jdk.jvmFlags()).anyMatch(flag -> flag.contains("jdk.internal.vm"));
    }

    private JsonNode written(RunManifest<Settings> manifest) throws IOException {
        Path file = directory.resolve("manifest.json");
        manifest.writeTo(file);
        return new ObjectMapper().readTree(file.toFile());
    }
}
