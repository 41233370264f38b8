package golab.workloads.sched;

import golab.runtime.sched.G;
import golab.runtime.sched.Park;
import golab.runtime.sched.WaitReason;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link java.util.concurrent.locks.LockSupport}'s park/unpark permit, built for goroutines from
 * {@link Park#gopark} and {@link Park#goready}, so the golab side of a benchmark does exactly what the
 * virtual-thread side does with {@code LockSupport.park()} / {@code LockSupport.unpark(t)}.
 *
 * <p>One goroutine owns the parker and parks on it; any goroutine may unpark it. The state is one of
 * {@code EMPTY}, {@code PERMIT} (an unpark arrived while the owner was running) and {@code PARKED} (the
 * owner is off its stack and {@link #waiter} is published).
 *
 * <p>No wake-up can be lost because the owner only becomes {@code PARKED} inside the gopark commit, which
 * the runtime runs on the M <em>after</em> the goroutine has yielded and been marked waiting. If the
 * unparker came first (state {@code PERMIT}), the commit sees it, consumes it and declines the park, so the
 * goroutine resumes at once; if the commit came first, the unparker's CAS {@code PARKED → EMPTY} makes it
 * the single goroutine that calls goready. Unlike {@code LockSupport}, {@link #park} never returns
 * spuriously, but callers loop on their own condition anyway, as they must with {@code LockSupport}.
 *
 * <p>{@link #unpark} must run on a goroutine: goready puts the woken G in the current P's runnext.
 */
public final class GoParker {

    private static final int EMPTY = 0;
    private static final int PERMIT = 1;
    private static final int PARKED = 2;

    private final AtomicInteger state = new AtomicInteger(EMPTY);
    /** The parked owner; written in the commit before the CAS to PARKED, read after the CAS from PARKED. */
    private G waiter;

    /** Parks the calling goroutine (the owner) until an unpark, or consumes a pending permit. */
    public void park() {
        if (state.compareAndSet(PERMIT, EMPTY)) {
            return;
        }
        Park.gopark(GoParker::commit, this, WaitReason.SEMACQUIRE);
    }

    private static boolean commit(G gp, GoParker p) {
        p.waiter = gp;
        if (p.state.compareAndSet(EMPTY, PARKED)) {
            return true; // parked: from now on an unparker may ready gp
        }
        p.state.set(EMPTY); // a permit arrived between park() and this commit: consume it, resume at once
        return false;
    }

    /** Makes the owner runnable if it is parked, else leaves a permit for its next park. */
    public void unpark() {
        while (true) {
            int s = state.get();
            if (s == PARKED) {
                if (state.compareAndSet(PARKED, EMPTY)) {
                    Park.goready(waiter);
                    return;
                }
            } else if (s == EMPTY) {
                if (state.compareAndSet(EMPTY, PERMIT)) {
                    return;
                }
            } else {
                return; // PERMIT already pending
            }
        }
    }
}
