package golab.runtime.time;

import golab.runtime.chan.Chan;
import java.time.Duration;
import java.time.Instant;

/** The runtime timer of a {@link Timer} or {@link Ticker}: a non-blocking send of the time (Go's sendTime). */
final class SendTime extends golab.runtime.sched.Timer {

    private final Chan<Instant> c;

    SendTime(Chan<Instant> c) {
        this.c = c;
    }

    /** The nanoTime {@code d} from now, saturating instead of overflowing. */
    static long when(Duration d) {
        long now = System.nanoTime();
        long nanos = d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : Math.max(0, d.toNanos());
        long w = now + nanos;
        return w < now ? Long.MAX_VALUE : w;
    }

    @Override
    protected void fire(long now) {
        c.trySend(Instant.now());
    }
}
