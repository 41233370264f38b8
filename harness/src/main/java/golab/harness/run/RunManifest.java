package golab.harness.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import golab.workloads.record.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code manifest.json}: everything needed to judge or repeat a run, written before measuring
 * (status {@code incomplete}) and again at the end (status {@code complete}).
 *
 * @param command     the golab arguments that started the run
 * @param parameters  the settings of the command that made the run (for a sweep, its
 *                    include patterns, gomaxprocs values, forks and iterations)
 * @param git         the measured source; null outside a git checkout or before its first commit
 * @param jmhVersion  the JMH version that measured
 * @param seed        the random seed the workloads drew from (their forks' {@code golab.seed})
 * @param plannedRuns every run the command meant to make, as {@link golab.harness.report.RunKey#describe()}
 * @param failedRuns  the planned runs that produced no result
 * @param startedAt   ISO-8601 UTC, to the second
 * @param endedAt     ISO-8601 UTC, to the second; null until the run is complete
 * @param <P>         the type of the command's settings
 */
public record RunManifest<P>(
        String id,
        RunStatus status,
        List<String> command,
        P parameters,
        JdkInfo jdk,
        MachineInfo machine,
        GitState git,
        String jmhVersion,
        long seed,
        List<String> plannedRuns,
        List<String> failedRuns,
        String startedAt,
        String endedAt) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunManifest {
        command = List.copyOf(command);
        plannedRuns = List.copyOf(plannedRuns);
        failedRuns = List.copyOf(failedRuns);
    }

    /** The manifest of a run that is starting now. */
    public static <P> RunManifest<P> started(String id, List<String> command, P parameters, JdkInfo jdk,
            MachineInfo machine, GitState git, String jmhVersion, long seed, List<String> plannedRuns,
            Instant startedAt) {
        return new RunManifest<>(id, RunStatus.INCOMPLETE, command, parameters, jdk, machine, git, jmhVersion, seed,
                plannedRuns, List.of(), toTheSecond(startedAt), null);
    }

    /** This manifest for the finished run. */
    public RunManifest<P> completed(Instant endedAt, List<String> failedRuns) {
        return new RunManifest<>(id, RunStatus.COMPLETE, command, parameters, jdk, machine, git, jmhVersion, seed,
                plannedRuns, failedRuns, startedAt, toTheSecond(endedAt));
    }

    private static String toTheSecond(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the manifest of run " + id, e);
        }
    }

    public void writeTo(Path file) throws IOException {
        AtomicFiles.write(file, toJson());
    }
}
