package golab.harness.run;

import golab.harness.GolabHome;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of every command that makes a run folder ({@code golab bench}, {@code golab sweep}), mixed into
 * each: where the folder goes and the seed its workloads draw from.
 */
public final class RunOptions {

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "The random seed the workloads (and Go twins) draw from, recorded in the manifest "
                    + "(default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory to create the run folder in (default: results/runs in the golab repository).")
    private Path out;

    public long seed() {
        return seed;
    }

    /** Where the run folder goes. */
    public Path runsDirectory() {
        return out != null ? out.toAbsolutePath().normalize() : GolabHome.runsDirectory();
    }
}
