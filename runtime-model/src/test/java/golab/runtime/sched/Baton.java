package golab.runtime.sched;

/**
 * A one-permit hand-off between goroutines built directly on gopark/goready, the way a channel uses them:
 * the waiter parks holding the lock and publishes itself in the park's commit, after it is off its
 * stack; the signaller readies whoever it finds or leaves the permit. A lost wake-up shows as a deadlock.
 */
final class Baton {

    private final RuntimeLock lock = new RuntimeLock();
    private G waiter;
    private boolean permit;

    void await() {
        lock.lock();
        if (permit) {
            permit = false;
            lock.unlock();
            return;
        }
        Park.gopark(Baton::commitPark, this, WaitReason.CHAN_RECEIVE);
    }

    void signal() {
        lock.lock();
        G gp = waiter;
        waiter = null;
        if (gp == null) {
            permit = true;
        }
        lock.unlock();
        if (gp != null) {
            Park.goready(gp);
        }
    }

    private static boolean commitPark(G gp, Baton b) {
        b.waiter = gp;
        b.lock.unlock();
        return true;
    }
}
