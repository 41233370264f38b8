package golab.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStateTest {

    @TempDir
    Path directory;

    @BeforeEach
    void needsGit() {
        assumeTrue(run(directory, "git", "--version") == 0, "git is not installed");
    }

    @Test
    void noCheckoutNoState() {
        assertThat(GitState.of(directory)).isEmpty();
    }

    @Test
    void aCheckoutWithoutCommitHasNoState() {
        git("init", "-q");

        assertThat(GitState.of(directory)).isEmpty();
    }

    @Test
    void recordsTheCommitAndWhetherTheTreeDiffers() throws IOException {
        git("init", "-q");
        Files.writeString(directory.resolve("pom.xml"), "<project/>");
        git("add", "pom.xml");
        git("-c", "user.name=golab", "-c", "user.email=golab@localhost", "commit", "-q", "-m", "first");

        GitState clean = GitState.of(directory).orElseThrow();
        assertThat(clean.commit()).matches("[0-9a-f]{40}");
        assertThat(clean.dirty()).isFalse();

        Files.writeString(directory.resolve("Untracked.java"), "class Untracked {}");
        assertThat(GitState.of(directory).orElseThrow().dirty()).isTrue();
    }

    private void git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        assertThat(run(directory, command.toArray(String[]::new))).as("git %s", command).isZero();
    }

    private static int run(Path directory, String... command) {
        try {
            return new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
