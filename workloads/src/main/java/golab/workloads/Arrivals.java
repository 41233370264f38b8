package golab.workloads;

import java.util.SplittableRandom;

/**
 * The intended start times of an open-loop load generator: {@code rate} requests per second, evenly spaced
 * ({@code constant}) or with exponential gaps of the same mean ({@code poisson}, a Poisson process), drawn from
 * the run's seed. The request servers on golab and on the JVM take their arrivals from here, so both see the
 * same schedule.
 */
public final class Arrivals {

    private final boolean poisson;
    private final double meanGapNanos;
    private final SplittableRandom random;

    /** Rejects a rate below 1 or an arrival other than {@code constant} and {@code poisson}, naming the value. */
    public Arrivals(int rate, String arrival, long seed) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate=" + rate + ": allowed values are positive requests per second");
        }
        if (!arrival.equals("constant") && !arrival.equals("poisson")) {
            throw new IllegalArgumentException("arrival=" + arrival + ": allowed values are constant and poisson");
        }
        this.poisson = arrival.equals("poisson");
        this.meanGapNanos = 1e9 / rate;
        this.random = new SplittableRandom(seed);
    }

    /** Nanoseconds from one intended start to the next. */
    public long nextGapNanos() {
        return poisson ? (long) (-meanGapNanos * Math.log(1 - random.nextDouble())) : (long) meanGapNanos;
    }
}
