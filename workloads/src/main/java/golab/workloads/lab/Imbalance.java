package golab.workloads.lab;

import golab.runtime.Go;
import golab.runtime.sync.WaitGroup;
import golab.workloads.Workload;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Work stealing under imbalance, the seed note's P-M-G claim (DESIGN.md: "work stealing under imbalance"):
 * every goroutine of a burst is born on one P, and only stealing puts the other Ps to work.
 *
 * <p>Each invocation, the main goroutine spawns a burst of {@code burst} goroutines and waits for them on a
 * {@link WaitGroup}. {@code go} puts a new goroutine in the spawning P's {@code runnext}, pushing the previous
 * one into that P's local run queue (256 slots; beyond that half the queue moves to the global queue). Each
 * goroutine does {@code rounds} rounds of {@link CpuWork} (a few microseconds each), polling a safepoint
 * between rounds. The score is the time per burst.
 *
 * <p>With {@code gomaxprocs=1} the burst runs one goroutine after another, so the time is the sum of their
 * work. With more Ps, {@code wakep} wakes a spinning M for an idle P, which steals half of the busy P's
 * queue ({@code runqsteal}); the thief then runs its share and, having nothing left, steals again. If
 * stealing works the time per burst approaches work / GOMAXPROCS. To see it happen, read
 * {@code /golab/sched/steals:goroutines} in {@code metrics.json} (cumulative over the run, one snapshot per
 * iteration): the goroutines moved between Ps by stealing (each steal takes half of the victim's queue, or
 * its {@code runnext}); it stays at zero at {@code gomaxprocs=1} and grows at {@code gomaxprocs=2}.
 * {@code sched-latencies.hlog} shows how long the queued goroutines waited for a P, and a burst larger than
 * 256 ({@code burst=512}) adds the overflow to the global queue, which every P polls.
 *
 * <p>Each goroutine adds the end of its chain to a total, and the total must equal the one computed off the
 * run: a goroutine lost, or run twice, fails the benchmark.
 */
public class Imbalance extends Workload {

    /** Goroutines spawned per invocation, all from one goroutine on one P. */
    @Param({"64", "512"})
    public int burst;

    /** Rounds of {@link CpuWork} per goroutine. */
    @Param({"20"})
    public int rounds;

    private long expectedTotal;

    @Override
    protected void setUpTrial() {
        for (int i = 0; i < burst; i++) {
            expectedTotal += CpuWork.chain(i, (long) rounds * CpuWork.STEPS_PER_ROUND);
        }
    }

    @Benchmark
    public void burst() {
        golab.call(() -> {
            AtomicLong total = new AtomicLong();
            WaitGroup wg = new WaitGroup();
            wg.add(burst);
            for (int i = 0; i < burst; i++) {
                long seed = i;
                Go.go(() -> {
                    total.addAndGet(CpuWork.rounds(seed, rounds));
                    wg.done();
                });
            }
            wg.await();
            if (total.get() != expectedTotal) {
                throw new IllegalStateException("burst of " + burst + ": the goroutines' total is wrong: one was "
                        + "lost or ran twice");
            }
        });
    }
}
