package golab.runtime.sched;

import java.util.Arrays;

/**
 * The random order in which a spinning M visits Ps to steal from: Go's {@code randomOrder}.
 *
 * <p>For {@code n} Ps, a start position and an increment coprime to {@code n} are chosen from one random
 * number; stepping by the increment modulo {@code n} then visits every P exactly once. Reset on every
 * GOMAXPROCS change.
 */
final class StealOrder {

    private volatile int count;
    private volatile int[] coprimes = new int[0];

    /** Recomputes the coprimes of {@code n} (procresize). */
    void reset(int n) {
        int[] c = new int[n];
        int k = 0;
        for (int i = 1; i <= n; i++) {
            if (gcd(i, n) == 1) {
                c[k++] = i;
            }
        }
        coprimes = Arrays.copyOf(c, k);
        count = n;
    }

    /** An enumeration of all P positions in an order derived from {@code random} (non-negative). */
    Enum start(int random) {
        int n = count;
        int[] c = coprimes;
        return new Enum(n, Integer.remainderUnsigned(random, n),
                c[Integer.remainderUnsigned(Integer.divideUnsigned(random, n), c.length)]);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** One walk over all positions (randomEnum). */
    static final class Enum {
        private int remaining;
        private int pos;
        private final int count;
        private final int inc;

        Enum(int count, int pos, int inc) {
            this.remaining = count;
            this.count = count;
            this.pos = pos;
            this.inc = inc;
        }

        boolean done() {
            return remaining == 0;
        }

        void next() {
            remaining--;
            pos = (pos + inc) % count;
        }

        int position() {
            return pos;
        }
    }
}
