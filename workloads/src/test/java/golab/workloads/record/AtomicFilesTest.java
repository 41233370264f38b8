package golab.workloads.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path directory;

    @Test
    void writesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = directory.resolve("report.md");

        AtomicFiles.write(target, "# first\n");
        AtomicFiles.write(target, "# second, ünïcode\n");

        assertThat(target).hasContent("# second, ünïcode\n");
        assertThat(filesIn(directory)).containsExactly(target);
    }

    @Test
    void theWrittenFileIsReadableByOthersLikeAnyNewFile() throws IOException {
        Path target = directory.resolve("manifest.json");
        Path ordinary = Files.createFile(directory.resolve("ordinary"));

        AtomicFiles.write(target, "{}");

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(ordinary))
                .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aFailedWriteKeepsTheOldContentAndCleansUp() throws IOException {
        // A non-empty directory cannot be replaced by a rename: the move fails after the write.
        Path target = Files.createDirectory(directory.resolve("taken"));
        Files.writeString(target.resolve("inside"), "old");

        assertThatThrownBy(() -> AtomicFiles.write(target, "new")).isInstanceOf(IOException.class);

        assertThat(target.resolve("inside")).hasContent("old");
        assertThat(filesIn(directory)).containsExactly(target);
    }

    @Test
    void movesAFinishedFileIntoPlace() throws IOException {
        Path finished = Files.writeString(directory.resolve(".jmh.json.in-progress"), "[]");
        Path target = directory.resolve("jmh.json");

        AtomicFiles.moveIntoPlace(finished, target);

        assertThat(target).hasContent("[]");
        assertThat(finished).doesNotExist();
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> !f.getFileName().toString().equals("ordinary")).toList();
        }
    }
}
