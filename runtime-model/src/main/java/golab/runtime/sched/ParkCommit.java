package golab.runtime.sched;

/**
 * The unlock callback of {@link Park#gopark}: Go's {@code unlockf(gp, lock)}.
 *
 * <p>It runs on the M <em>after</em> the goroutine has yielded and been marked waiting, so whoever
 * the callback lets in (by releasing {@code lock}) may ready the goroutine at once and no wake-up can
 * be lost. Returning {@code false} aborts the park: the goroutine resumes immediately.
 *
 * @param <L> the type of the lock or wait structure handed through
 */
@FunctionalInterface
public interface ParkCommit<L> {
    /** Commits the park of {@code gp}; {@code false} resumes it instead. */
    boolean commit(G gp, L lock);
}
