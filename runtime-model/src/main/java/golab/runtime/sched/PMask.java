package golab.runtime.sched;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One bit per P, set and cleared atomically: Go's {@code pMask}, used for {@code idlepMask} (Ps on the
 * idle list, not worth stealing from) and {@code timerpMask} (Ps that may have timers). Replaced, not
 * resized, when GOMAXPROCS changes, so a snapshot of the reference is a stable view for one search.
 */
final class PMask {

    private final AtomicLongArray words;

    PMask(int nprocs) {
        words = new AtomicLongArray((nprocs + 63) / 64);
    }

    boolean read(int id) {
        return (words.get(id >>> 6) & (1L << id)) != 0;
    }

    void set(int id) {
        long bit = 1L << id;
        words.getAndUpdate(id >>> 6, w -> w | bit);
    }

    void clear(int id) {
        long bit = 1L << id;
        words.getAndUpdate(id >>> 6, w -> w & ~bit);
    }

    /** A copy, for findRunnable's snapshot before it drops its P. */
    PMask copy() {
        PMask c = new PMask(words.length() * 64);
        for (int i = 0; i < words.length(); i++) {
            c.words.set(i, words.get(i));
        }
        return c;
    }
}
