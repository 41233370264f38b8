package golab.runtime.sched;

/**
 * A call that may block its thread, made through {@link Syscalls#syscall} so the scheduler can hand the
 * P to another M meanwhile.
 *
 * @param <T> the result type
 * @param <X> the checked exception it may throw
 */
@FunctionalInterface
public interface BlockingCall<T, X extends Exception> {
    T call() throws X;
}
