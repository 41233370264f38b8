package golab.workloads.lab;

import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.sync.WaitGroup;
import golab.workloads.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The two channel idioms every Go program is built from, with the trial's recordings around them: the seed
 * note's "channels: hchan ring buffer, sudog queues, direct hand-off; unbuffered vs buffered" (DESIGN.md,
 * "What the lab must be able to show").
 *
 * <ul>
 * <li>{@code pingPong}: two goroutines pass a sequence number back and forth over two unbuffered channels,
 *     {@value #ROUNDS} round trips per invocation; the score is the time per round trip. Each hand-off finds
 *     the partner already parked on the channel (a sudog in {@code recvq}), copies the value straight to it
 *     and readies it into {@code runnext}: no buffer is touched. Compare {@code gomaxprocs=1} (both sides on
 *     one M, a hand-off is a park and a switch) with {@code gomaxprocs=2} (a woken M may steal the readied
 *     goroutine, and hand-offs cross threads); {@code sched-latencies.hlog} shows the runnable-to-running
 *     time of each hand-off.</li>
 * <li>{@code fanOutFanIn}: a producer sends {@value #ITEMS} items on a buffered jobs channel and closes it;
 *     {@code workers} goroutines range over it, do a little CPU work per item ({@value #STEPS_PER_ITEM}
 *     {@link CpuWork} steps, about a microsecond) and send the result on a buffered results channel; a
 *     closer waits on a {@link WaitGroup} for the workers and closes the results channel, which ends the main
 *     goroutine's range over it. The score is the time per item. With one worker the pipeline is sequential;
 *     with more, and two Ps, the per-item work runs in parallel while the two channels' locks and sudog
 *     queues become the shared point: the score shows which wins. Buffers are {@value #CAPACITY} slots, so
 *     senders mostly find room in the ring and receivers mostly find a value, parking only when it runs
 *     empty or full.</li>
 * </ul>
 *
 * <p>Both check their result: the ping side gets back, in order, exactly the number it sent; the main goroutine
 * receives {@value #ITEMS} results whose sum (of 64-bit chain ends, one per item) is the one computed off the
 * run. A lost or duplicated message fails the benchmark.
 */
public class ChannelPatterns extends Workload {

    static final int ROUNDS = 20_000;
    static final int ITEMS = 20_000;
    static final int STEPS_PER_ITEM = 200;
    static final int CAPACITY = 128;

    /** The fan-out's own parameter, in a state of its own so that {@code pingPong} is not repeated per value. */
    @State(Scope.Benchmark)
    public static class FanOut {
        /** Worker goroutines between the jobs and the results channel. */
        @Param({"1", "4"})
        public int workers;
    }

    /**
     * The numbers sent, boxed once: ping-pong and the jobs channel allocate nothing per message (Go sends ints by
     * value). The results are fresh boxed longs, a JVM allocation, not golab's model heap.
     */
    private Integer[] numbers;
    /** The sum of every item's result, computed off the run. */
    private long expectedSum;

    @Override
    protected void setUpTrial() {
        numbers = new Integer[Math.max(ROUNDS, ITEMS)];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = i;
        }
        for (int i = 0; i < ITEMS; i++) {
            expectedSum += CpuWork.chain(i, STEPS_PER_ITEM);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void pingPong() {
        golab.call(() -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Go.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    ping.send(numbers[i]);
                    Integer back = pong.recv();
                    if (back != numbers[i]) {
                        throw new IllegalStateException("ping-pong round " + i + ": got " + back + " back");
                    }
                }
                wg.done();
            });
            Go.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    pong.send(ping.recv());
                }
                wg.done();
            });
            wg.await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void fanOutFanIn(FanOut fanOut) {
        golab.call(() -> {
            Chan<Integer> jobs = Chan.make(CAPACITY);
            Chan<Long> results = Chan.make(CAPACITY);
            Go.go(() -> {
                for (int i = 0; i < ITEMS; i++) {
                    jobs.send(numbers[i]);
                }
                jobs.close();
            });
            WaitGroup workers = new WaitGroup();
            workers.add(fanOut.workers);
            for (int w = 0; w < fanOut.workers; w++) {
                Go.go(() -> {
                    for (Integer item; (item = jobs.recv()) != null; ) {
                        results.send(CpuWork.chain(item, STEPS_PER_ITEM));
                    }
                    workers.done();
                });
            }
            Go.go(() -> {
                workers.await();
                results.close();
            });
            long sum = 0;
            int count = 0;
            for (Long result; (result = results.recv()) != null; ) {
                sum += result;
                count++;
            }
            if (count != ITEMS || sum != expectedSum) {
                throw new IllegalStateException("fan-in received " + count + " results of " + ITEMS
                        + (count == ITEMS ? ", but their sum is wrong: an item was processed twice and another lost"
                        : ""));
            }
        });
    }
}
