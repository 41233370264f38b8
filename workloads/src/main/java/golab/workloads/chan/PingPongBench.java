package golab.workloads.chan;

import golab.workloads.SideBySide;
import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.sync.WaitGroup;
import golab.workloads.GolabServer;
import golab.workloads.VirtualThreads;
import java.util.concurrent.SynchronousQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The round trip through two unbuffered channels: the smallest conversation two goroutines can have, and
 * the price of every request/reply over {@code chan} in a Go program.
 *
 * <p>Two tasks play {@value #ROUNDS} rounds. {@code ping} sends a ball on channel {@code ping} and waits for
 * it on channel {@code pong}; {@code pong} receives it and sends it back. The score is wall time per round
 * trip ({@code time of the invocation / rounds}): two unbuffered hand-offs, each one a rendezvous in which
 * one side is already blocked and the other finds it.
 *
 * <ul>
 * <li>{@code golabPingPong}: {@link Chan#make(int) Chan.make(0)} twice. An unbuffered send that finds a
 *     receiver queued on the channel (a {@code sudog} in {@code recvq}) copies the value straight into it
 *     and readies the receiver into the sender's {@code runnext}; the sender then blocks on the other
 *     channel (queues its own sudog, gopark), and the M runs the receiver next. With one P a round trip is
 *     therefore two "direct hand-off + park + run runnext" steps on one thread, no queue is touched. With
 *     two Ps, goready also calls {@code wakep}; a spinning M on the other P may steal the readied G
 *     (Go's runqgrab backs off 3 µs before stealing a running P's runnext, which usually keeps the pair
 *     on one P).</li>
 * <li>{@code virtualThreadsPingPong}: two virtual threads and two {@link SynchronousQueue}s, the JDK's
 *     rendezvous channel: {@code put} blocks until a {@code take} meets it, like an unbuffered send. The
 *     waiter spins briefly (128 {@code onSpinWait}s in {@code LinkedTransferQueue}'s {@code await}), then parks
 *     (unmounts); the partner's arrival unparks it, which submits the continuation to the carrier's ForkJoinPool
 *     queue. With parallelism 2 and both threads mounted on their own carriers, the spin often meets the partner
 *     and the exchange completes with no park at all: a different mechanism from a channel, whose receiver in Go
 *     parks at once. Its score at 2 therefore swings with how long the host lets both carriers run.</li>
 * </ul>
 *
 * <p>The ball is one preallocated object, so neither side allocates per round (Go's would send an
 * {@code int} by value). Each side checks it got the ball back: a lost or duplicated hand-off fails the
 * benchmark instead of skewing it. Both pairs run inside a "main" of their own kind, started per
 * invocation ({@link GolabServer} for golab, a main virtual thread for the JVM), which spawns the pair and
 * waits for it; the start-up is amortised over {@value #ROUNDS} round trips.
 *
 * <p>{@code gomaxprocs}: golab's Ps and the virtual-thread scheduler's parallelism (per trial, see
 * {@link VirtualThreads}).
 *
 * <p><b>Go, in the same run.</b> {@code golab bench} (with Go on the PATH) runs the Go twin,
 * {@code BenchmarkPingPong} in {@code workloads/go/micro} (the same exchange, ns per round trip), after JMH at the
 * same gomaxprocs values, and {@code golab show} prints golab, virtual threads, Go and golab / Go side by side:
 * compare that ratio, not a number from another day on a noisy host. The lab's target: golab / Go ≤ 1.5 and golab
 * faster than the virtual-thread {@code SynchronousQueue} pair. (For context only: Go 1.19 measured 220 ns per
 * round trip here once; shared/reference/go-runtime.md §12 has Go 1.23.5's {@code BenchmarkChanSync}, 128 ns for
 * one hand-off of a similar exchange.)
 *
 * <p><b>The floor.</b> {@link ContinuationSwitchBench} runs the two continuation switches of a round trip alone;
 * run it in the same {@code golab bench} ({@code 'golab.workloads.chan.(PingPongBench|ContinuationSwitchBench)'})
 * and golab's score minus the floor is what golab's scheduler and channel code cost per round trip.
 *
 * <p><b>Where golab's time goes</b> ({@code -prof async} on {@code golabPingPong} at GOMAXPROCS=1, collapsed
 * stacks, 2026-11): the continuation switch — freeze on park, thaw on resume, and the JDK's scoped-value cache
 * swap on every mount — is about a quarter; the three G status CASes per hand-off (as Go's casgstatus) with
 * their 1-in-8 scheduling-latency sample about a sixth; the channel lock, the run queue's runnext CAS and
 * sudog reuse most of the rest. Under G1 (before the fork switched to the Parallel collector, see
 * {@link SideBySide}) the same profile, taken again on 2026-11-28, also had G1's barrier work in the continuation
 * copy: {@code G1CollectedHeap::requires_barriers} 3.8% and G1's {@code oop_access_barrier}s 3.9% of the samples.
 * At GOMAXPROCS=2 the profile adds waking a spinning M (wakep, a futex wake) on about 3% of the samples, and that
 * M's attempts to steal the readied goroutine.
 */
public class PingPongBench extends SideBySide {

    static final int ROUNDS = 50_000;

    /** What travels back and forth; any non-null object (golab channels carry non-null values). */
    private static final Object BALL = new Object();

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void golabPingPong() {
        golab.call(() -> {
            Chan<Object> ping = Chan.make(0);
            Chan<Object> pong = Chan.make(0);
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Go.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    ping.send(BALL);
                    expectBall(pong.recv());
                }
                wg.done();
            });
            Go.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    pong.send(expectBall(ping.recv()));
                }
                wg.done();
            });
            wg.await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void virtualThreadsPingPong() {
        VirtualThreads.runInVirtualThread(() -> {
            SynchronousQueue<Object> ping = new SynchronousQueue<>();
            SynchronousQueue<Object> pong = new SynchronousQueue<>();
            VirtualTasks tasks = new VirtualTasks();
            tasks.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    ping.put(BALL);
                    expectBall(pong.take());
                }
            });
            tasks.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    pong.put(expectBall(ping.take()));
                }
            });
            tasks.await();
        });
    }

    private static Object expectBall(Object v) {
        if (v != BALL) {
            throw new IllegalStateException("ping-pong: received " + v + " instead of the ball");
        }
        return v;
    }
}
