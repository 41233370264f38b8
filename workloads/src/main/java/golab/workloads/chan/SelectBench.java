package golab.workloads.chan;

import golab.workloads.SideBySide;
import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.chan.Select;
import golab.runtime.sync.WaitGroup;
import golab.workloads.GolabServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * The cost of {@code select}: waiting on several channels at once and taking whichever is ready.
 *
 * <p>One producer goroutine sends {@value #SELECTS} values round-robin over {@code cases} unbuffered
 * channels (value {@code i} on channel {@code i % cases}); one consumer runs
 * {@code select { case v := <-c0: ... case v := <-c1: ... }} with one receive case per channel,
 * {@value #SELECTS} times. The score is wall time per select.
 *
 * <p>{@code golabSelect}, {@link Select#select}, does select.go's {@code selectgo}: shuffle the cases into a
 * random poll order, sort them into lock order, lock every channel; pass 1 takes a case that can proceed
 * now; otherwise pass 2 queues a sudog on <em>every</em> channel and parks, and after the wake-up pass 3
 * relocks everything and unqueues the sudogs that lost. With unbuffered channels and one producer the
 * run alternates: a select finds nothing ready and parks (passes 2 and 3: {@code cases} sudogs queued and
 * unqueued, {@code 2 × cases} lock operations); the producer's send finds the consumer's sudog, wins the
 * select's {@code selectDone} race, hands the value over and readies the consumer; the producer's next send
 * (on the next channel) blocks; the consumer's next select finds that sender in pass 1, takes its value and
 * readies it. So about half the selects park and half complete in pass 1, and the {@code cases = 2} to
 * {@code cases = 4} difference is the per-case cost of locking, queueing and unqueueing. Compare with
 * {@link PingPongBench}, where each hand-off is a plain receive.
 *
 * <p>The receive cases are built once and reused, as Go compiles them into one array on the consumer's
 * stack; {@code selectgo}'s own per-call arrays remain. Only one send is outstanding at a time, so the
 * {@code i}-th select must choose case {@code i % cases}: the consumer checks it, and a wrong choice or
 * value fails the benchmark.
 *
 * <p><b>No JVM baseline.</b> Java has no {@code select}: no JDK queue or lock can block on several of
 * them at once and complete exactly one operation. The usual substitutes change the program, not the
 * mechanism: merging the producers into one queue of tagged messages (that is a buffered channel, see
 * {@link BufferedChanBench}), polling several queues in a loop (busy waiting, or sleeping, which trades
 * CPU for latency), or one virtual thread per source forwarding into a shared queue (a hand-off per value
 * plus extra threads). None would measure what {@code selectgo} costs, so there is none here.
 *
 * <p>{@code gomaxprocs}: golab's Ps (the run is per trial, see {@link GolabServer}).
 *
 * <p><b>Go, in the same run.</b> Go's {@code select} is the baseline that matters here: {@code golab bench} (with
 * Go on the PATH) runs the Go twin, {@code BenchmarkSelect/cases=N} in {@code workloads/go/micro} (the same
 * producer, the same round-robin, a written-out {@code select} of 2 or 4 receive cases, ns per select), after JMH
 * at the same gomaxprocs values, and {@code golab show} prints golab / Go. (For context only: Go 1.23.5's
 * {@code BenchmarkSelectUncontended}, shared/reference/go-runtime.md §12, is 41 ns for a 2-case select that always
 * finds a case ready, which is pass 1 only.)
 */
public class SelectBench extends SideBySide {

    static final int SELECTS = 100_000;

    /** Preallocated values; select {@code i} must receive {@code VALUES[i & 1023]}. */
    private static final Integer[] VALUES = new Integer[1024];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = Integer.valueOf(i);
        }
    }

    @Param({"2", "4"})
    public int cases;

    @Benchmark
    @OperationsPerInvocation(SELECTS)
    public void golabSelect() {
        int n = cases;
        golab.call(() -> {
            @SuppressWarnings("unchecked")
            Chan<Integer>[] chans = new Chan[n];
            @SuppressWarnings("unchecked")
            Select.Recv<Integer>[] recvs = new Select.Recv[n];
            for (int k = 0; k < n; k++) {
                chans[k] = Chan.make(0);
                recvs[k] = Select.recv(chans[k]);
            }
            Select.Case[] selectCases = recvs.clone();
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Go.go(() -> {
                for (int i = 0; i < SELECTS; i++) {
                    chans[i % n].send(VALUES[i & 1023]);
                }
                wg.done();
            });
            Go.go(() -> {
                for (int i = 0; i < SELECTS; i++) {
                    int chosen = Select.select(selectCases);
                    if (chosen != i % n || recvs[chosen].value() != VALUES[i & 1023]) {
                        throw new IllegalStateException("select " + i + " chose case " + chosen + " with "
                                + (chosen < 0 ? null : recvs[chosen].value()) + ", expected case " + (i % n)
                                + " with " + VALUES[i & 1023]);
                    }
                }
                wg.done();
            });
            wg.await();
        });
    }
}
