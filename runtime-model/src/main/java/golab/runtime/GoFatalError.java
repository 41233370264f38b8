package golab.runtime;

/**
 * A runtime fatal error (Go's {@code throw}/{@code fatal}): {@code fatal error: <message>}, a blank line,
 * then a dump of every goroutine, e.g. {@code fatal error: all goroutines are asleep - deadlock!}.
 */
public final class GoFatalError extends GoRuntimeException {

    private final String fatalMessage;

    /** A fatal error with Go's {@code message}, the dump of the goroutines, and the failure behind it or null. */
    public GoFatalError(String message, String goroutines, Throwable cause) {
        super("fatal error: " + message + "\n\n" + goroutines, cause);
        this.fatalMessage = message;
    }

    /** The message alone, e.g. {@code all goroutines are asleep - deadlock!}. */
    public String fatalMessage() {
        return fatalMessage;
    }
}
