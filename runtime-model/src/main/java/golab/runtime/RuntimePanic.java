package golab.runtime;

/**
 * A panic raised by the runtime with a plain message, as Go's {@code plainError}: reported as
 * {@code panic: send on closed channel}, with no exception class in front.
 */
public final class RuntimePanic extends RuntimeException {

    public RuntimePanic(String message) {
        super(message);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
