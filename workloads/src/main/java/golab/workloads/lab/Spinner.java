package golab.workloads.lab;

import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.sync.WaitGroup;
import golab.workloads.Workload;
import golab.workloads.record.IntervalRecorder;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Cooperative against preemptive scheduling, the seed note's claim (DESIGN.md: "a spinning goroutine without
 * safepoints starves others (Go ≤ 1.13); sysmon preemption fixes it when loops poll").
 *
 * <p>Each invocation is one window: a ticker goroutine starts and goes to sleep, then a spinner goroutine
 * computes in a tight loop for {@code spinMillis} of wall time. The ticker sleeps 1 ms at a time until the spin
 * is over and records how late each wake-up is (nanoseconds past the millisecond) into {@code latency.hlog},
 * with HdrHistogram's correction for the ticks a stall swallowed ({@code recordValueWithExpectedInterval}, as
 * jHiccup does), so a 50 ms stall weighs as the 49 ticks it cost and not as one sample.
 *
 * <ul>
 * <li>{@code safepoints=false}: the loop makes no runtime call, as a Go ≤ 1.13 loop without function calls.
 *     Sysmon still asks the spinner to yield after 10 ms, but nothing polls the request. With
 *     {@code gomaxprocs=1} the ticker's timer expires on the only P, which never reaches its scheduler, so
 *     the ticker wakes only when the spin ends: lateness up to {@code spinMillis}. The hiccup probe's
 *     goroutine fares worse: it waits in the P's local run queue while each window hands the P along a chain
 *     of run-next goroutines (main, spinner, main) that never ends the time slice, and sysmon's preemption
 *     requests land on the spinner, which ignores them; it may not run for a whole iteration (over 900 ms
 *     measured here), as a Go ≤ 1.13 program would behave.</li>
 * <li>{@code safepoints=true}: the loop calls {@link Go#checkpoint()} every iteration, where Go 1.14+ could
 *     preempt it with a signal. Sysmon's request is seen within one iteration, the spinner goes to the global
 *     run queue, the P runs its expired timers and the ticker gets to run: lateness bounded by the 10 ms time
 *     slice (plus sysmon's own sleep, 20 µs to 10 ms).</li>
 * </ul>
 * With {@code gomaxprocs=2} the spinner takes one P and the ticker runs on the other, so neither setting
 * starves it: the difference between the rows is the point. Read {@code latency.hlog} (and
 * {@code hiccup-goroutine.hlog}, which sees the same stall) per iteration; the score is only the window's
 * length, about {@code spinMillis}.
 *
 * <p>Every window ends: the spin is bounded by the clock, and the ticker stops at its first wake-up after the
 * spin. The check: a sleep never ends early ({@link Go#sleep} sleeps at least its duration), and both
 * goroutines ran their loops.
 */
public class Spinner extends Workload {

    static final long TICK_NANOS = 1_000_000;
    private static final Duration TICK = Duration.ofNanos(TICK_NANOS);

    /** Wall time the spinner spins per window, in milliseconds. */
    @Param({"50"})
    public int spinMillis;

    /** Whether the spin loop polls a safepoint each iteration. */
    @Param({"false", "true"})
    public boolean safepoints;

    private IntervalRecorder lateness;
    private volatile boolean spinning;
    /** The spinner's last value, published so that its loop computes something. */
    private volatile long spun;

    @Override
    protected void setUpTrial() {
        lateness = latencyRecorder();
    }

    @Benchmark
    public void window() {
        golab.call(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Chan<Boolean> ticking = Chan.make();
            spinning = true;
            long[] ticks = {0};
            Go.go(() -> {
                ticking.send(Boolean.TRUE);
                while (spinning) {
                    long asleep = System.nanoTime();
                    Go.sleep(TICK);
                    long slept = System.nanoTime() - asleep;
                    if (slept < TICK_NANOS) {
                        throw new IllegalStateException("a 1 ms sleep ended after " + slept + " ns");
                    }
                    lateness.recordValueWithExpectedInterval(slept - TICK_NANOS, TICK_NANOS);
                    ticks[0]++;
                }
                wg.done();
            });
            ticking.recv();
            long[] iterations = {0};
            Go.go(() -> {
                long end = System.nanoTime() + spinMillis * 1_000_000L;
                long x = 0;
                do {
                    x = CpuWork.mix(x);
                    iterations[0]++;
                    if (safepoints) {
                        Go.checkpoint();
                    }
                } while (System.nanoTime() < end);
                spun = x;
                spinning = false;
                wg.done();
            });
            wg.await();
            if (ticks[0] == 0 || iterations[0] == 0) {
                throw new IllegalStateException("window: the ticker ticked " + ticks[0] + " times, the spinner "
                        + "iterated " + iterations[0] + " times");
            }
        });
    }
}
