package golab.harness.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The source a run measured: the checked-out commit, and whether the working tree differed from
 * it (modified or untracked files), in which case the commit alone does not reproduce the run.
 */
public record GitState(String commit, boolean dirty) {

    /**
     * The state of the checkout at {@code directory}; empty when git is not installed, the
     * directory is not in a git checkout, or the checkout has no commit yet.
     */
    public static Optional<GitState> of(Path directory) {
        Optional<String> commit = git(directory, "rev-parse", "--verify", "--quiet", "HEAD").map(String::strip);
        Optional<String> changes = git(directory, "status", "--porcelain", "--untracked-files=normal");
        if (commit.isEmpty() || commit.get().isEmpty() || changes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GitState(commit.get(), !changes.get().isBlank()));
    }

    /** The standard output of a successful git command, or empty on any failure. */
    private static Optional<String> git(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output;
            try (InputStream stdout = process.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            return process.waitFor() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException noGit) {
            return Optional.empty();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
