package golab.workloads.chan;

import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.sync.Mutex;
import golab.workloads.GolabServer;
import golab.workloads.SideBySide;
import golab.workloads.VirtualThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The note's "channel or mutex?" (seed/go-runtime-note.ru.md: knowing how fine-grained the switches are
 * helps decide between a channel and a mutex), as one experiment: {@value #WORKERS} tasks add
 * {@value #INCREMENTS} ones, in total, to a shared counter, either under a lock or by sending them to the
 * goroutine that owns the counter ("share memory by communicating"). The score is wall time per
 * increment; each invocation checks the final count.
 *
 * <ul>
 * <li>{@code golabMutex} ({@link GuardedCounter#underMutex}): {@link Mutex} (sync.Mutex, normal and starvation modes) around
 *     {@code counter++}. Uncontended, lock and unlock are one CAS and one atomic add. Contended (two Ps),
 *     a locker spins a few times when {@link golab.runtime.sched.Park#canSpin} allows, then queues on the
 *     semaphore and parks; unlock wakes one waiter, which competes with newcomers. With one P the four
 *     goroutines mostly run one after another, and the lock is almost never contended: a goroutine loses
 *     its P only at a safepoint, and {@code Mutex} operations contain none. The loop therefore calls
 *     {@link Go#checkpoint()} where Go 1.14+ could preempt it asynchronously (sysmon asks after 10 ms).</li>
 * <li>{@code golabChannel} ({@link GuardedCounter#throughOwner}): the workers send each one on a {@link Chan#make(int) Chan.make(128)}; an owner
 *     goroutine receives {@value #INCREMENTS} values and adds them. An increment is a buffered send plus a
 *     buffered receive (see {@link BufferedChanBench}), and the four senders contend on the channel lock
 *     instead of the mutex; the counter itself is touched by one goroutine only.</li>
 * <li>{@code virtualThreadsMutex}: virtual threads with {@link ReentrantLock} (non-fair, like sync.Mutex's
 *     normal mode: barging allowed; it spins briefly, then parks the virtual thread in its AQS queue).</li>
 * <li>{@code virtualThreadsChannel}: an owner virtual thread fed by an {@link ArrayBlockingQueue} of 128.</li>
 * </ul>
 *
 * <p>The work is deliberately trivial (one addition), so the score is the coordination cost per update:
 * the regime where the choice matters. As elsewhere each invocation runs inside a "main" of its own kind
 * ({@link GolabServer}, a main virtual thread); {@code gomaxprocs} is golab's Ps and the virtual-thread
 * scheduler's parallelism (per trial, see {@link VirtualThreads}). With one P/carrier, the question is the
 * cost of the primitive with no parallelism to gain; with two, whether contention costs more than the
 * parallel increments gain.
 *
 * <p><b>Go, in the same run.</b> {@code golab bench} (with Go on the PATH) runs the Go twins,
 * {@code BenchmarkCounterMutex} (sync.Mutex; Go preempts asynchronously, so no safepoint call) and
 * {@code BenchmarkCounterChannel} (an owner goroutine fed by a channel of 128) in {@code workloads/go/micro}, ns per
 * increment, after JMH at the same gomaxprocs values, and {@code golab show} prints golab / Go for each.
 */
public class CounterBench extends SideBySide {

    static final int WORKERS = 4;
    static final int INCREMENTS = 100_000;
    static final int CAPACITY = 128;

    /** What a worker sends to the owner: "add one". A cached Integer, so nobody allocates. */
    private static final Integer ONE = 1;

    /** The count of the last invocation: the golab helpers' result, or the virtual threads' shared counter. */
    private long counter;

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public void golabMutex() {
        counter = 0;
        golab.call(() -> counter = GuardedCounter.underMutex(WORKERS, INCREMENTS));
        check();
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public void golabChannel() {
        counter = 0;
        golab.call(() -> counter = GuardedCounter.throughOwner(WORKERS, INCREMENTS, CAPACITY));
        check();
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public void virtualThreadsMutex() {
        counter = 0;
        VirtualThreads.runInVirtualThread(() -> {
            ReentrantLock mu = new ReentrantLock();
            VirtualTasks tasks = new VirtualTasks();
            for (int w = 0; w < WORKERS; w++) {
                tasks.go(() -> {
                    for (int i = 0; i < INCREMENTS / WORKERS; i++) {
                        mu.lock();
                        try {
                            counter++;
                        } finally {
                            mu.unlock();
                        }
                    }
                });
            }
            tasks.await();
        });
        check();
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public void virtualThreadsChannel() {
        counter = 0;
        VirtualThreads.runInVirtualThread(() -> {
            ArrayBlockingQueue<Integer> increments = new ArrayBlockingQueue<>(CAPACITY);
            VirtualTasks tasks = new VirtualTasks();
            tasks.go(() -> {
                long owned = 0;
                for (int i = 0; i < INCREMENTS; i++) {
                    owned += increments.take();
                }
                counter = owned;
            });
            for (int w = 0; w < WORKERS; w++) {
                tasks.go(() -> {
                    for (int i = 0; i < INCREMENTS / WORKERS; i++) {
                        increments.put(ONE);
                    }
                });
            }
            tasks.await();
        });
        check();
    }

    private void check() {
        if (counter != INCREMENTS) {
            throw new IllegalStateException("counter is " + counter + " after " + INCREMENTS + " increments");
        }
    }
}
