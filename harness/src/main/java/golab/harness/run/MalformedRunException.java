package golab.harness.run;

import java.nio.file.Path;

/** A run folder that cannot be read as a finished run; the message names the file and what is wrong with it. */
public final class MalformedRunException extends RuntimeException {

    MalformedRunException(Path file, String problem) {
        super(file + ": " + problem);
    }

    MalformedRunException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }
}
