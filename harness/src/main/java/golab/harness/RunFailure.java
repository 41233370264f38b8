package golab.harness;

/**
 * A failure the user can act on (no benchmark matched, JMH failed, a file could not be written).
 * Its message is complete on its own, so it is printed without a stack trace and the command
 * exits with status 1.
 */
public final class RunFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunFailure(String message) {
        super(message);
    }

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
