package golab.runtime.sched;

/**
 * {@code time.Sleep}: Go's {@code timeSleep} with {@code resetForSleep}. The timer is added to the P's heap
 * by the park commit, after the goroutine has parked, so it can never fire before the park is complete.
 */
public final class Sleep {

    private Sleep() {
    }

    /** Parks the calling goroutine for at least {@code nanos}; returns at once (after a safepoint) if ≤ 0. */
    public static void sleep(long nanos) {
        if (nanos <= 0) {
            Park.checkpoint();
            return;
        }
        G gp = Park.getg();
        long when = System.nanoTime() + nanos;
        if (when < 0) {
            when = Long.MAX_VALUE; // overflow: sleep "forever" (Go's maxWhen)
        }
        SleepTimer t = new SleepTimer(gp);
        t.when = when;
        Park.gopark(Sleep::resetForSleep, t, WaitReason.SLEEP);
    }

    private static boolean resetForSleep(G gp, SleepTimer t) {
        t.schedule(t.when, 0);
        return true;
    }

    /** The timer of one sleeping goroutine: readies it when due (goroutineReady). */
    private static final class SleepTimer extends Timer {
        private final G gp;

        SleepTimer(G gp) {
            this.gp = gp;
        }

        @Override
        protected void fire(long now) {
            gp.sched.ready(gp, true);
        }
    }
}
