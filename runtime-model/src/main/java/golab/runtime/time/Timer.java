package golab.runtime.time;

import golab.runtime.chan.Chan;
import java.time.Duration;
import java.time.Instant;

/**
 * Go's {@code time.Timer} (Go 1.14–1.22 semantics): after the duration, the current time is sent on
 * {@link #c()}, a channel with a buffer of one, so the timer never blocks on a slow reader. The runtime
 * timer lives in the heap of the P that armed it.
 */
public final class Timer {

    private final Chan<Instant> c = Chan.make(1);
    private final SendTime timer = new SendTime(c);

    private Timer() {
    }

    /** {@code time.NewTimer(d)}: fires once after {@code d} (at once if {@code d ≤ 0}). */
    public static Timer newTimer(Duration d) {
        Timer t = new Timer();
        t.timer.schedule(SendTime.when(d), 0);
        return t;
    }

    /** {@code time.After(d)}: the channel of a new timer. */
    public static Chan<Instant> after(Duration d) {
        return newTimer(d).c;
    }

    /** The channel the time is sent on. */
    public Chan<Instant> c() {
        return c;
    }

    /** Prevents the timer from firing; false if it had already fired or been stopped. */
    public boolean stop() {
        return timer.cancel();
    }

    /** Re-arms the timer for {@code d} from now; returns whether it had been active. */
    public boolean reset(Duration d) {
        boolean active = timer.cancel();
        timer.schedule(SendTime.when(d), 0);
        return active;
    }
}
