package golab.workloads.lab;

import golab.runtime.Go;
import golab.runtime.sync.Mutex;
import golab.workloads.Workload;
import golab.workloads.chan.GuardedCounter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

/**
 * Channel or mutex, the seed note's closing question (DESIGN.md: "channel vs mutex, and GOMAXPROCS below the
 * core count under contention"): a shared counter updated by {@code workers} goroutines, guarded either by a
 * lock or by an owner goroutine the others send to ("share memory by communicating").
 *
 * <p>Each invocation adds {@value #INCREMENTS} ones in total, {@code INCREMENTS / workers} per worker; the
 * score is the time per increment, so rows with different {@code workers} and {@code guard} compare directly.
 * The work per update is one addition: the score is the coordination cost, the regime where the choice
 * matters.
 * <ul>
 * <li>{@code guard=mutex}: {@link Mutex} around {@code counter++}. Uncontended, a lock and an unlock are one
 *     CAS and one atomic add; contended, a locker spins a little when it may, then parks on the semaphore, and
 *     after 1 ms of waiting the mutex turns to starvation mode (hand-off in FIFO order). The loop polls a
 *     safepoint ({@link Go#checkpoint()}) where Go 1.14+ could preempt it, so with one P the workers do take
 *     turns and a preempted lock holder makes the others queue.</li>
 * <li>{@code guard=channel}: workers send each one on a channel of {@value #CAPACITY} slots; the owner
 *     goroutine receives them all and keeps the count in a local. An increment is a buffered send and a
 *     buffered receive; the workers contend on the channel's lock instead, and park when the buffer is
 *     full.</li>
 * </ul>
 * Sweep {@code gomaxprocs} (1, 2, up to the core count and beyond): with one P there is no parallelism to
 * gain and nearly no contention; with more, both guards pay for cache-line transfers and for waking parked
 * goroutines, whose wait to run again shows in {@code sched-latencies.hlog}.
 *
 * <p>Each invocation checks that the counter ends at exactly {@value #INCREMENTS}.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MutexVsChannel extends Workload {

    static final int INCREMENTS = 100_000;
    static final int CAPACITY = 128;

    /** {@code mutex} or {@code channel}. */
    @Param({"mutex", "channel"})
    public String guard;

    /** Goroutines adding to the counter; must divide {@value #INCREMENTS}. */
    @Param({"1", "4", "16"})
    public int workers;

    @Override
    protected void setUpTrial() {
        if (!guard.equals("mutex") && !guard.equals("channel")) {
            throw new IllegalArgumentException("guard=" + guard + ": allowed values are mutex and channel");
        }
        if (workers < 1 || INCREMENTS % workers != 0) {
            throw new IllegalArgumentException("workers=" + workers + ": must divide " + INCREMENTS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public void increment() {
        long[] counter = {0};
        golab.call(() -> counter[0] = guard.equals("mutex")
                ? GuardedCounter.underMutex(workers, INCREMENTS)
                : GuardedCounter.throughOwner(workers, INCREMENTS, CAPACITY));
        if (counter[0] != INCREMENTS) {
            throw new IllegalStateException("counter is " + counter[0] + " after " + INCREMENTS + " increments");
        }
    }
}
