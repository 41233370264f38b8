package golab.runtime;

/**
 * A goroutine ended with an uncaught exception, reported as Go reports a panic:
 * {@code panic: <exception>}, a blank line, then {@code goroutine N [running]:} with its stack and the
 * {@code created by} line. The exception is the cause.
 */
public final class GoPanic extends GoRuntimeException {

    /** A panic of one goroutine with {@code cause}; {@code report} is the full text in Go's format. */
    public GoPanic(Throwable cause, String report) {
        super(report, cause);
    }
}
