package golab.workloads.lab;

import golab.runtime.Go;
import golab.runtime.sync.WaitGroup;
import golab.workloads.Workload;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Blocking system calls next to computation: the seed note's FAQ asks whether a syscall stops the other
 * goroutines. It does not (DESIGN.md, "What the lab must be able to show"): the M blocks in the call, its P is
 * left in the syscall state, and sysmon retakes it after a round (20 µs to 10 ms) and hands it to another M,
 * so the runnable goroutines keep running; on return the goroutine gets its P back if it is still free, or
 * another idle one, or waits in the global run queue.
 *
 * <p>For the whole trial, {@code blockers} goroutines loop over {@link Go#syscall} calls that sleep
 * {@code syscallMicros} in the kernel ({@link Thread#sleep}, on the M's own thread, as a blocking
 * {@code read(2)} would). Each invocation, {@code computers} goroutines do {@value #ROUNDS} rounds of
 * {@link CpuWork} each (a safepoint between rounds); the score is the time until all of them finished.
 *
 * <p>What to compare: the score at {@code blockers=0} and at {@code blockers=8} for the same
 * {@code gomaxprocs}. Were a P held for the length of a syscall, {@code gomaxprocs=1} with eight blockers
 * would leave the computers a fraction of the CPU and the score would grow many times over; with the hand-off
 * the difference is what the hand-offs themselves cost (sysmon's retake delay, the exits that find no P and
 * queue globally). {@code hiccup-goroutine.hlog} shows the same from a sleeper's side: with hand-off its
 * lateness stays bounded by scheduling, not by syscall length.
 *
 * <p>The computers' total must equal the one computed off the run, or the benchmark fails.
 */
public class SyscallHeavy extends Workload {

    /** Rounds of {@link CpuWork} per compute goroutine per invocation (several milliseconds). */
    static final int ROUNDS = 2_000;

    /** Goroutines that spend the trial in blocking calls. */
    @Param({"0", "8"})
    public int blockers;

    /** Length of each blocking call, in microseconds. */
    @Param({"1000"})
    public int syscallMicros;

    /** Goroutines doing the measured CPU work. */
    @Param({"2"})
    public int computers;

    private long expectedTotal;
    private volatile boolean stopping;
    private WaitGroup blockersDone;

    @Override
    protected void setUpTrial() {
        for (int i = 0; i < computers; i++) {
            expectedTotal += CpuWork.chain(i, (long) ROUNDS * CpuWork.STEPS_PER_ROUND);
        }
        Duration call = Duration.ofNanos(syscallMicros * 1_000L);
        blockersDone = new WaitGroup();
        golab.call(() -> {
            blockersDone.add(blockers);
            for (int b = 0; b < blockers; b++) {
                Go.go(() -> {
                    while (!stopping) {
                        try {
                            Go.syscall(() -> sleepInKernel(call));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException("nothing interrupts a blocker's M", e);
                        }
                    }
                    blockersDone.done();
                });
            }
        });
    }

    @Override
    protected void tearDownTrial() {
        stopping = true;
        golab.call(blockersDone::await);
    }

    /** The blocking call, on the M's thread: a sleep in the kernel, as a {@code read(2)} waiting for data. */
    private static Void sleepInKernel(Duration d) throws InterruptedException {
        Thread.sleep(d);
        return null;
    }

    @Benchmark
    public void compute() {
        golab.call(() -> {
            AtomicLong total = new AtomicLong();
            WaitGroup wg = new WaitGroup();
            wg.add(computers);
            for (int i = 0; i < computers; i++) {
                long seed = i;
                Go.go(() -> {
                    total.addAndGet(CpuWork.rounds(seed, ROUNDS));
                    wg.done();
                });
            }
            wg.await();
            if (total.get() != expectedTotal) {
                throw new IllegalStateException(computers + " computers: the total is wrong: one computation was "
                        + "lost or ran twice");
            }
        });
    }
}
