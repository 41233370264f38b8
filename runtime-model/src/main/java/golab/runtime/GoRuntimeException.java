package golab.runtime;

/**
 * How a run ends other than by main returning: a goroutine's panic or a runtime fatal error. The message
 * is the whole report in Go's format, as Go would print it to stderr before exiting with status 2.
 */
public abstract sealed class GoRuntimeException extends RuntimeException permits GoPanic, GoFatalError {

    GoRuntimeException(String report, Throwable cause) {
        super(report, cause, false, true);
    }

    /** The report in Go's format ({@code panic: ...} or {@code fatal error: ...} and goroutine stacks). */
    public String report() {
        return getMessage();
    }
}
