package golab.harness.show;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.CommandLineRun;
import golab.harness.run.RecordedRuns;
import golab.harness.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowCommandTest {

    @TempDir
    Path runs;

    @Test
    void eachTrialsStreamsAreSummarisedOverTheMeasurementIterations() throws Exception {
        RunFolder folder = RecordedRuns.finished(runs);

        CommandLineRun show = CommandLineRun.of("show", folder.path().toString());

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains(
                "| RequestServer.serve | rate=5000 | fork-1 | latency | 2 | 1.000 | 3.000 | 3.000 | 3.000 |",
                "| RequestServer.serve | rate=6000 | fork-1 | latency | 2 |");
    }

    @Test
    void anIncompleteRunIsRefusedNamingTheFile() throws Exception {
        RunFolder folder = RecordedRuns.finished(runs);
        Files.delete(folder.jmhResult());

        CommandLineRun show = CommandLineRun.of("show", folder.path().toString());

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err()).contains("golab show: " + folder.jmhResult() + ": missing");
    }
}
