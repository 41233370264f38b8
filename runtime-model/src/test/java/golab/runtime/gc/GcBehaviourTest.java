package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.heap.Frame;
import golab.runtime.heap.Frames;
import golab.runtime.heap.Heap;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.Type;
import golab.runtime.metrics.GcTrace;
import golab.runtime.metrics.MetricValue;
import golab.runtime.sched.Park;
import golab.runtime.sync.WaitGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the collector does as a whole, observed through its counters, its metrics and its gctrace output:
 * assists appear only when allocation outruns the background workers, a memory limit holds the heap with
 * GOGC=off, the CPU limiter caps a death spiral, frames are roots, runtime.GC frees everything unreachable.
 */
@Timeout(120)
class GcBehaviourTest {

    static final Type NODE = CollectorTest.NODE;
    static final Type ROOTS = Type.builder("roots").pointer("table").build();

    /** Builds a table of {@code n} nodes reachable from a new global; returns the global. */
    static long liveTable(int n) {
        long roots = Heap.global(ROOTS);
        Heap.storePointer(roots, 0, Heap.allocArray(Type.POINTER, n));
        for (int i = 0; i < n; i++) {
            long node = Heap.alloc(NODE);
            Heap.storePointer(Heap.loadPointer(roots, 0), 8L * i, node);
        }
        return roots;
    }

    /** Allocates {@code count} garbage nodes. */
    static void garbage(int count) {
        for (int i = 0; i < count; i++) {
            Heap.alloc(NODE);
        }
    }

    @Test
    void assistsAppearWhenAllocationOutrunsTheWorkersAndNotOtherwise() {
        long[] assist = new long[2];
        long[] background = new long[2];
        // Slow: small bursts with sleeps between, so idle workers mark while the mutator sleeps.
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            liveTable(50_000);
            Collector gc = Park.sched().gc;
            long cycles = gc.cycles();
            while (gc.cycles() < cycles + 5) {
                garbage(200);
                Go.sleep(Duration.ofMillis(1));
            }
            assist[0] = gc.assistNanos();
            background[0] = gc.idleNanos() + gc.fractionalNanos() + gc.dedicatedNanos();
        });
        // Flat out on one P: the fractional worker gets 25% at most, the mutator must pay for the rest.
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1), () -> {
            liveTable(50_000);
            Collector gc = Park.sched().gc;
            long cycles = gc.cycles();
            while (gc.cycles() < cycles + 5) {
                garbage(1000);
            }
            assist[1] = gc.assistNanos();
            background[1] = gc.idleNanos() + gc.fractionalNanos() + gc.dedicatedNanos();
        });
        double slowShare = assist[0] / (double) (assist[0] + background[0]);
        double fastShare = assist[1] / (double) (assist[1] + background[1]);
        assertThat(slowShare).as("assist share of marking when allocation is slow").isLessThan(0.2);
        assertThat(fastShare).as("assist share of marking when allocation is flat out on one P (slow: %.3f)", slowShare)
                .isGreaterThan(Math.max(0.1, 2 * slowShare));
    }

    /**
     * GOGC=off with a 24 MiB limit over ~6 MiB live: 128 MiB allocated in cycles the limit triggers. A forced cycle
     * after the table is built gives the pacer a scan history first. Without one, the first cycle expects next to no
     * scan work (this program's globals are 8 bytes and no cycle has scanned the heap yet), so the extrapolated goal
     * reaches the hard goal (1001 x the goal under GOGC=off) and the mutator does not assist while it marks: the
     * heap reached 48-78 MiB in 13 of 80 runs here (over 72 MiB in 5). Go's first cycle has its runtime's own
     * globals to expect (223,696 B in the twin, workloads/go/memlimit with GODEBUG=gcpacertrace=1), enough for an
     * assist ratio of 0.33. With the forced cycle the peak was 22.8-34.5 MiB in 160 runs, after 8 or 9 cycles.
     */
    @Test
    void gogcOffWithAMemoryLimitKeepsTheHeapNearTheLimit() {
        long limit = 24L << 20;
        long[] peak = {0};
        long[] mappedAtEnd = {0};
        long[] cycles = {0, 0};
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2).withGogc(GcSettings.GOGC_OFF).withGomemlimit(limit), () -> {
            liveTable(80_000); // ~6 MiB live
            Go.gc();
            Collector gc = Park.sched().gc;
            MHeap heap = Park.sched().heap;
            long forced = gc.cycles();
            for (int round = 0; round < 1000; round++) {
                garbage(2_000);
                peak[0] = Math.max(peak[0], heap.stats().objectsBytes());
            }
            cycles[0] = gc.cycles() - forced;
            Go.gc();
            mappedAtEnd[0] = heap.mappedBytes() - heap.releasedBytes();
        });
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2).withGogc(GcSettings.GOGC_OFF), () -> {
            liveTable(80_000);
            garbage(600_000);
            cycles[1] = Park.sched().gc.cycles();
        });
        assertThat(cycles[0]).as("cycles the limit triggered").isGreaterThanOrEqualTo(4);
        assertThat(peak[0]).as("peak object bytes under a %d MiB limit", limit >> 20).isLessThan(2 * limit);
        assertThat(mappedAtEnd[0]).as("memory kept after the sweep and scavenge").isLessThanOrEqualTo(limit);
        assertThat(cycles[1]).as("cycles with GOGC=off and no limit").isZero();
    }

    @Test
    void theCpuLimiterCapsADeathSpiral() {
        long[] lastEnabled = {0};
        long[] after = {0, 0, 0}; // allocation rounds, assist ns, window ns once the limiter has engaged
        // The limit is below the live heap: every cycle ends over the goal and the next starts at once.
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1).withGomemlimit(4L << 20), () -> {
            liveTable(100_000); // ~8 MiB live
            Collector gc = Park.sched().gc;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 5_000_000_000L && gc.limiter().lastEnabledCycle() == 0) {
                garbage(1_000);
            }
            lastEnabled[0] = gc.limiter().lastEnabledCycle();
            // From now on the limiter turns on whenever the bucket fills: assists stop and the heap overshoots.
            long assist0 = gc.assistNanos();
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < 500_000_000L) {
                garbage(1_000);
                after[0]++;
            }
            after[1] = gc.assistNanos() - assist0;
            after[2] = System.nanoTime() - t0;
        });
        assertThat(lastEnabled[0]).as("/gc/limiter/last-enabled:gc-cycle").isPositive();
        assertThat(after[0]).as("allocation rounds once the limiter has engaged").isPositive();
        // With the limiter's check removed from the assists, this share measured 0.54; the limiter holds all GC
        // work to about half of the CPU, the fractional worker's quarter included.
        assertThat((double) after[1] / after[2]).as("assist share once the limiter has engaged").isLessThan(0.45);
    }

    @Test
    void pointersInFramesSurviveCyclesAndUnreachableObjectsAreFreed() {
        AtomicLong freed = new AtomicLong();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            Park.sched().heap.debug(true);
            WaitGroup parked = new WaitGroup();
            WaitGroup release = new WaitGroup();
            release.add(1);
            int holders = 8;
            parked.add(holders);
            WaitGroup done = new WaitGroup();
            done.add(holders);
            for (int h = 0; h < holders; h++) {
                int id = h;
                Go.go(() -> {
                    try (Frame f = Frames.push(4)) {
                        long n = Heap.alloc(NODE);
                        f.set(0, n);
                        Heap.storeLong(n, NODE.offset("key"), id);
                        parked.done();
                        release.await(); // parked with the node only in its frame
                        assertThat(Heap.loadLong(f.get(0), NODE.offset("key"))).isEqualTo(id);
                    }
                    done.done();
                });
            }
            parked.await();
            long before = Park.sched().heap.stats().freesObjects();
            for (int i = 0; i < 3; i++) {
                garbage(50_000);
                Go.gc();
            }
            freed.set(Park.sched().heap.stats().freesObjects() - before);
            release.done();
            done.await();
        });
        // Of the 150k garbage objects nearly all are freed; a span's worth allocated black while a heap-triggered
        // cycle was marking may still be waiting for the next sweep.
        assertThat(freed.get()).as("objects freed by three forced cycles").isGreaterThan(145_000);
    }

    @Test
    void gctraceLinesFollowGosFormatAndMetricsAgree() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long[] cycles = {0};
        long[] pauses = {0};
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2).withGodebug("gctrace=1")
                .withStderr(new PrintStream(err, true, StandardCharsets.UTF_8)), () -> {
            liveTable(10_000);
            garbage(300_000);
            Go.gc();
            cycles[0] = ((MetricValue.Uint64) Go.metrics().read("/gc/cycles/total:gc-cycles")).value();
            pauses[0] = Arrays.stream(((MetricValue.Histogram) Go.metrics().read("/gc/pauses:seconds"))
                    .histogram().counts()).sum();
        });
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("gc ")).toList();
        assertThat(lines).hasSize((int) cycles[0]);
        assertThat(pauses[0]).as("two pauses per cycle").isGreaterThanOrEqualTo(2 * cycles[0]);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = GcTrace.LINE.matcher(lines.get(i));
            assertThat(m.matches()).as(lines.get(i)).isTrue();
            assertThat(Integer.parseInt(m.group("cycle"))).isEqualTo(i + 1);
            assertThat(m.group("procs")).isEqualTo("2");
        }
        assertThat(lines.getLast()).endsWith(" (forced)");
    }
}
