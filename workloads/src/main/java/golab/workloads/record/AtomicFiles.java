package golab.workloads.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so that a reader (or a sweep killed half-way) sees either the old content or the
 * new, never a truncated file: the content goes to a temporary file in the same directory, is
 * forced to disk, and is then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    public static void write(Path target, String content) throws IOException {
        Path temporary = temporaryBeside(target);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            moveIntoPlace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Renames a finished file (one that another program wrote beside the target, such as JMH's
     * result file) over the target in one step. Both must be in the same file system.
     */
    public static void moveIntoPlace(Path finished, Path target) throws IOException {
        Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A fresh, hidden, empty file in the target's directory, so the rename stays atomic. Made
     * with {@link Files#createFile} rather than {@link Files#createTempFile}, whose owner-only
     * permissions the renamed file would keep.
     */
    private static Path temporaryBeside(Path target) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        while (true) {
            Path candidate = directory.resolve(
                    "." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // Another writer drew the same name: draw again.
            }
        }
    }
}
