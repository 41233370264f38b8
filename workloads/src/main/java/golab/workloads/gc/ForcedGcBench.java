package golab.workloads.gc;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.gc.GcSettings;
import golab.runtime.heap.Heap;
import golab.runtime.heap.Type;
import golab.workloads.GolabServer;
import golab.workloads.WorkloadParameters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one whole collection of a live heap costs: {@code Go.gc()} (Go's {@code runtime.GC()}: sweep termination,
 * concurrent mark with every P marking, mark termination, then the caller sweeps every span) over the live heap of
 * {@link LiveHeapChurn}, side by side with the Go twin {@code BenchmarkForcedGC} in {@code workloads/go/micro}, which
 * builds the same heap. Nothing else runs, so the score is the collector's own speed, apart from pacing and mutator:
 * the churn's GC CPU is roughly this cost times its cycles.
 *
 * <p>The heap: the churn's table of {@code n = liveHeap / 72} slots, in groups of {@value Churn#GROUP} linked as
 * binary trees, but with its nodes allocated in a random order of slots (a Fisher–Yates shuffle of splitmix64 seeded
 * with {@value #SEED}, the same permutation as the Go twin's). A churned heap is in that state: after enough
 * replacements a slot's node sits anywhere, and marking reaches the nodes in table order, so each one is a miss in
 * every cache. A heap built in slot order would be marked at the speed of a sequential scan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class ForcedGcBench {

    static final long SEED = 1;

    @Param({"1", "2"})
    public int gomaxprocs;

    /** Bytes of live heap, Go's syntax. */
    @Param({"64MiB", "256MiB"})
    public String liveHeap;

    private GolabServer golab;

    @Setup(Level.Trial)
    public void buildHeap() {
        long live = WorkloadParameters.bytes("liveHeap", liveHeap);
        int n = (int) LiveHeapChurn.nodesOf(live);
        golab = new GolabServer(GoConfig.defaults().withGomaxprocs(gomaxprocs)
                .withArenaBytes(LiveHeapChurn.arenaBytes(live)));
        golab.call(() -> {
            scatteredTable(n, SEED);
            Go.gc();
        });
    }

    @TearDown(Level.Trial)
    public void stop() {
        golab.close();
    }

    @Benchmark
    public void golabForcedGc() {
        golab.call(Go::gc);
    }

    /**
     * Allocates the churn's table of {@code n} slots, with the collector off, filling the slots in the order of a
     * splitmix64 Fisher–Yates shuffle, then links each group's trees; returns the global holding the table.
     */
    static long scatteredTable(int n, long seed) {
        int gogc = Go.setGCPercent(GcSettings.GOGC_OFF);
        long roots = Heap.global(LiveHeapChurn.ROOTS);
        Heap.storePointer(roots, 0, Heap.allocArray(Type.POINTER, n));
        long table = Heap.loadPointer(roots, 0);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long[] rand = {seed};
        for (int i = n - 1; i > 0; i--) {
            int j = Churn.below(rand, i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int k : order) {
            long nd = Heap.alloc(LiveHeapChurn.NODE);
            Heap.storeLong(nd, LiveHeapChurn.KEY, k);
            Heap.storePointer(table, 8L * k, nd);
        }
        for (int b = 0; b < n; b += Churn.GROUP) {
            int end = Churn.groupEnd(b, n);
            for (int k = b; k < end; k++) {
                LiveHeapChurn.linkChildren(table, Heap.loadPointer(table, 8L * k), b, end, k);
            }
        }
        Go.setGCPercent(gogc);
        return roots;
    }
}
