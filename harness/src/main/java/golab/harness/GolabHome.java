package golab.harness;

import java.nio.file.Path;

/**
 * The golab repository the harness works in: where {@code results/runs} lives and whose git
 * commit a run records. {@code scripts/golab} passes it as the system property
 * {@value #PROPERTY}, so the launcher works from any current directory; without the property
 * the current directory is taken.
 */
public final class GolabHome {

    public static final String PROPERTY = "golab.home";

    private GolabHome() {}

    public static Path directory() {
        String home = System.getProperty(PROPERTY);
        return Path.of(home != null ? home : "").toAbsolutePath().normalize();
    }

    /** Where sweeps put their run folders unless {@code --out} says otherwise. */
    public static Path runsDirectory() {
        return directory().resolve("results").resolve("runs");
    }
}
