package golab.workloads.gc;

import golab.runtime.GoConfig;
import golab.runtime.heap.Heap;
import golab.workloads.GolabServer;
import golab.workloads.WorkloadParameters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the churn's mutator pays for its loads and stores: one replacement of {@link LiveHeapChurn} without its
 * allocation, side by side with the Go twin {@code BenchmarkNodeUpdate} in {@code workloads/go/micro}. Go compiles a
 * field access to one instruction; golab's {@link Heap} accessors find the object's span and type and check the slot
 * on every access. This is that price, in the churn's own access pattern: the churn's achieved allocation rate, and so
 * its GC CPU share, depends on it.
 *
 * <p>One operation: a slot {@code k} drawn at random (splitmix64 seeded with {@value #SEED}, as the twin), its node
 * loaded from the table and put back with {@link LiveHeapChurn#install}: key and value stored, its children loaded
 * from the table and stored, the slot stored, the parent loaded and its child pointer stored — 2 scalar stores and
 * 1 to 4 pointer loads and as many pointer stores (2.75 of each on average: half the slots of a group are leaves).
 * The heap does not change shape and nothing is allocated, so no cycle starts (in golab as in Go) and no store takes
 * the write barrier's slow path. The heap is {@link ForcedGcBench}'s (the churn's table, its nodes in a shuffled
 * order): at 64 MiB nearly every node is a cache miss, in both runtimes; at 1 MiB everything stays in the caches and
 * what is left is the instructions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-XX:+UseParallelGC"})
public class NodeUpdateBench {

    static final long SEED = 2;
    static final int OPS = 1 << 16;

    /** One goroutine updates the table: more Ps would only idle. */
    @Param({"1"})
    public int gomaxprocs;

    /** Bytes of live heap, Go's syntax. */
    @Param({"1MiB", "64MiB"})
    public String liveHeap;

    private GolabServer golab;
    private int n;
    private long table;
    /** The slot sequence's splitmix64 state, carried from one invocation to the next. */
    private final long[] rand = {SEED};

    @Setup(Level.Trial)
    public void buildHeap() {
        long live = WorkloadParameters.bytes("liveHeap", liveHeap);
        n = (int) LiveHeapChurn.nodesOf(live);
        golab = new GolabServer(GoConfig.defaults().withGomaxprocs(gomaxprocs)
                .withArenaBytes(LiveHeapChurn.arenaBytes(live)));
        golab.call(() -> table = Heap.loadPointer(ForcedGcBench.scatteredTable(n, ForcedGcBench.SEED), 0));
    }

    @TearDown(Level.Trial)
    public void stop() {
        golab.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void golabNodeUpdate() {
        golab.call(() -> {
            for (int i = 0; i < OPS; i++) {
                int k = Churn.below(rand, n);
                LiveHeapChurn.install(table, n, k, Heap.loadPointer(table, 8L * k), i);
            }
        });
    }
}
