package golab.runtime.time;

import golab.runtime.chan.Chan;
import java.time.Duration;
import java.time.Instant;

/**
 * Go's {@code time.Ticker}: sends the time on {@link #c()} every period. Ticks are dropped, not queued,
 * for a slow reader (the channel holds one), and a late timer skips the periods it missed.
 */
public final class Ticker {

    private final Chan<Instant> c = Chan.make(1);
    private final SendTime timer = new SendTime(c);

    private Ticker() {
    }

    /** {@code time.NewTicker(d)}; {@code d} must be positive. */
    public static Ticker newTicker(Duration d) {
        Ticker t = new Ticker();
        t.timer.schedule(SendTime.when(positive(d)), d.toNanos());
        return t;
    }

    /** The channel the ticks are sent on. */
    public Chan<Instant> c() {
        return c;
    }

    /** Stops the ticks (the channel is not closed, as in Go). */
    public void stop() {
        timer.cancel();
    }

    /** Stops and restarts the ticker with period {@code d}. */
    public void reset(Duration d) {
        timer.cancel();
        timer.schedule(SendTime.when(positive(d)), d.toNanos());
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("non-positive interval for NewTicker: " + d);
        }
        return d;
    }
}
