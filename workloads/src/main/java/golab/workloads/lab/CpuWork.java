package golab.workloads.lab;

import golab.runtime.Go;

/**
 * CPU work for the lab's goroutines: a chain of splitmix64 steps, {@code x = mix(x)}. Each step depends on the
 * one before, so the JIT can neither skip nor vectorise it, and the chain's end is a checksum: a workload
 * computes the expected value off the run ({@link #chain} composes, {@code chain(chain(s, a), b) ==
 * chain(s, a + b)}) and fails if a goroutine's work went missing or ran twice.
 */
final class CpuWork {

    /** Steps between two safepoints of {@link #rounds}: a few microseconds of work. */
    static final int STEPS_PER_ROUND = 1000;

    private CpuWork() {
    }

    /** {@code steps} steps from {@code seed}, with no safepoint: callable from any thread. */
    static long chain(long seed, long steps) {
        long x = seed;
        for (long i = 0; i < steps; i++) {
            x = mix(x);
        }
        return x;
    }

    /**
     * {@code rounds} rounds of {@value #STEPS_PER_ROUND} steps on a goroutine, polling a safepoint
     * ({@link Go#checkpoint()}) after each round where Go 1.14+ could preempt the loop asynchronously. Returns
     * {@code chain(seed, rounds * STEPS_PER_ROUND)}.
     */
    static long rounds(long seed, int rounds) {
        long x = seed;
        for (int r = 0; r < rounds; r++) {
            x = chain(x, STEPS_PER_ROUND);
            Go.checkpoint();
        }
        return x;
    }

    /** One splitmix64 step: the golden-ratio increment, then the output mix. */
    static long mix(long x) {
        long z = x + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
