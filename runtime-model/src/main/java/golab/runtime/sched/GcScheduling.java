package golab.runtime.sched;

/**
 * What the scheduler asks the garbage collector while it looks for work: Go's findRunnable calls
 * {@code gcController.findRunnableGCWorker} before the run queues, and takes an idle-mode mark worker
 * before it would give up its P. The collector installs this with {@link Sched#setGcScheduling} and hands
 * back parked worker goroutines made runnable with {@link Park#claimParked}.
 */
public interface GcScheduling {

    /** A mark worker {@code pp} should run now (dedicated or fractional), or null (findRunnableGCWorker). */
    G findRunnableGCWorker(P pp, long now);

    /**
     * A mark worker to run in idle mode because {@code pp} has nothing else to run, or null. Also called with
     * {@link Sched#lock} held for an idle P an M is about to take (checkIdleGCNoP), so it must not take that
     * lock; claiming the worker may wait out a scan of the worker's stack, which does not take it either.
     */
    G findIdleGCWorker(P pp);

    /**
     * Whether marking is on, wants another idle worker and has work one could take, as an M without a P can
     * tell (checkIdleGCNoP's tests before it takes a P; {@link #findIdleGCWorker} decides once it has one).
     */
    boolean idleMarkWorkWanted();

    /**
     * {@code pp} is being destroyed (GOMAXPROCS lowered, world stopped). A GOMAXPROCS change holds gcsema
     * ({@link WorldStop#acquireGcsema}), so no cycle is marking and the P holds no grey object or buffered pointer
     * (Go's p.destroy still flushes both when gcphase != _GCoff); the collector checks that.
     */
    default void destroyP(P pp) {
    }
}
