package golab.workloads.heap;

import golab.runtime.GoConfig;
import golab.runtime.gc.GcSettings;
import golab.runtime.heap.Heap;
import golab.runtime.heap.Type;
import golab.runtime.sched.Park;
import golab.workloads.GolabServer;
import golab.workloads.SideBySide;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one heap allocation costs, per size and kind: golab's {@code mallocgc} on the model heap next to
 * the JVM's {@code new}, with real Go's figures for the same sizes in {@code workloads/go/alloc}.
 *
 * <p>Each invocation allocates {@value #N} objects of {@code size} bytes, one after another, and hands
 * each to a Blackhole; the score is wall time per allocation.
 * <ul>
 * <li>{@code golabAlloc}: on the trial's main goroutine. {@code noscan} is {@link Heap#allocBytes}
 *     (Go's {@code make([]byte, size)}): size 8 goes to the tiny allocator (two objects per 16-byte block),
 *     16 to 32 KiB to a slot of a noscan span, 64 KiB to a span of its own. {@code pointers} is
 *     {@code Heap.allocArray(Type.POINTER, size / 8)} (Go's {@code make([]*byte, size / 8)}): every word
 *     a pointer, a scan span, the type recorded in the span's side table (golab's heapSetType). Size 8
 *     with pointers is not tiny (the tiny allocator takes only pointer-free objects): it is a slot of
 *     size class 1, the contrast that shows what the tiny allocator saves.</li>
 * <li>{@code javaNew}: {@code new byte[size]} or {@code new Object[size / 8]} (compressed oops: 4-byte
 *     references, so the array is half the bytes; the header adds 16) on the JMH thread. A TLAB bump and
 *     the zeroing of the array, plus — amortised — the young collections that reclaim them: the JVM side
 *     includes GC cost that golab and Go, both run with GOGC=off, do not pay. Run with
 *     {@code -prof gc} to see the collection counts and times. The JMH thread rather than a virtual
 *     thread: a virtual thread allocates in its carrier's TLAB, so the allocation itself is identical,
 *     and running on the JMH thread leaves out the per-invocation start/join of a "main" virtual thread.
 *     golab cannot skip its hand-off (the JMH thread is not a goroutine); over {@value #N} allocations it
 *     costs well under a nanosecond each.</li>
 * </ul>
 *
 * <p><b>GOGC=off, so the heap only grows.</b> The collector is off, to measure the allocation path alone as
 * Go's GOGC=off benchmark does; every invocation leaves {@value #N} × size bytes of garbage that nothing
 * reclaims. Three things keep a trial inside its arena:
 * <ol>
 * <li>Each measurement and warm-up iteration starts a fresh run ({@code @Setup(Level.Iteration)}), with
 *     an arena reserved for it ({@link GoConfig#withArenaBytes}): {@value #RUN_BUDGET_SMALL_MB} MiB of heap
 *     per run plus room for one more invocation, {@value #RUN_BUDGET_LARGE_GB} GiB for 64 KiB objects.</li>
 * <li>Before each invocation ({@code @Setup(Level.Invocation)}, outside the timed part) the benchmark
 *     checks whether the next invocation still fits in the run's budget — the previous invocation
 *     recorded the heap's mapped bytes — and replaces the run when it does not. An invocation lasts
 *     hundreds of microseconds or more, so the per-invocation fixture's timestamps are negligible.</li>
 * <li>Reserving address space is free: the arena is {@code mmap(MAP_NORESERVE)} and a fresh span's
 *     memory is known to be zero ({@code needzero} false), so mallocgc never touches it and the pages are
 *     never faulted in. Only tiny blocks (zeroed word by word, as Go does) and the objects' side tables
 *     cost memory. So golab, like Go with GOGC=off, allocates into fresh address space: neither pays
 *     the zeroing a reused span needs, nor page faults for the noscan object bodies.</li>
 * </ol>
 * The budget for sizes below 32 KiB is small because of those side tables: golab records each slot's
 * type and length in two Java arrays made with the span, about 12 bytes of Java heap per slot, which
 * stay live until the run ends (a 512 MiB run of 16-byte objects holds about 400 MiB of them). The fork
 * therefore has a fixed, pre-touched Java heap ({@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}, see
 * {@link golab.workloads.chan.PoolBench} for why pre-touching matters on this VM); the same flags apply to
 * {@code javaNew}, whose young generation then never grows into unfaulted memory.
 *
 * <p>{@code gomaxprocs} (from {@link SideBySide}) changes nothing here but the number of idle Ps: one
 * goroutine allocates, on one P, as in Go's single-goroutine benchmark. The javaNew rows do not depend
 * on it at all (two copies of the same experiment: a free noise estimate).
 *
 * <p><b>What was measured</b> (gomaxprocs=1, ns per allocation; Go 1.19 from {@code workloads/go/alloc},
 * whose README has all columns and explains why Go's GOGC=off figures on this VM are mostly page faults;
 * "Go resident" is GOGC=off on already-touched memory, Go's allocation path itself):
 * <pre>
 *   size kind      golab   Go resident   Go GOGC=off   JVM new
 *      8 noscan     61        10.2          22.9         1.9   golab: tiny blocks zeroed in fresh pages
 *      8 pointers   16        15.6          23.1         1.9
 *     16 noscan     18        16.6          35.8         2.4
 *     64 pointers   20        33.9         112           2.4
 * </pre>
 * golab's small-object path is within 2× of Go's everywhere but the tiny case. There an async-profiler
 * CPU profile puts 80 % of the time in {@code Arena.putLong}, the two stores that zero each fresh 16-byte
 * tiny block: they are the first touch of a page of the arena, and a page fault on this VM costs about
 * 20 µs (one per 256 blocks). Go 1.19 advises {@code MADV_HUGEPAGE} only on spans that cover a whole 2 MiB
 * huge page (sysUsed), and golab's arena does the same, so in the system's {@code madvise} THP mode both fault
 * small-object pages 4 KiB at a time. From 512 bytes up golab is faster than Go, because on
 * fresh memory it touches nothing (a fresh span needs no zeroing), while Go resident zeroes each object;
 * the JVM always zeroes.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class AllocBench extends SideBySide {

    /** Allocations per invocation. */
    static final int N = 1 << 16;
    static final int RUN_BUDGET_SMALL_MB = 512;
    static final int RUN_BUDGET_LARGE_GB = 16;

    /** Bytes per object; 8 is below Go's maxTinySize (16). */
    @Param({"8", "16", "64", "512", "4096", "65536"})
    public int size;

    /** {@code noscan}: pointer-free bytes; {@code pointers}: every word a pointer. */
    @Param({"noscan", "pointers"})
    public String kind;

    private boolean noscan;
    /** Heap bytes a run may map before it is replaced. */
    private long runBudget;
    /** The reservation of each run: the budget plus room for one invocation more. */
    private long arenaBytes;
    /** The most heap bytes one invocation has mapped so far (a first guess before any ran). */
    private long perInvocation;
    /** The run's mapped heap bytes after the last invocation (written by the main goroutine). */
    private volatile long mapped;
    private long mappedBefore;

    @Setup(Level.Trial)
    public void sizeArena() {
        switch (kind) {
            case "noscan" -> noscan = true;
            case "pointers" -> noscan = false;
            default -> throw new IllegalArgumentException("kind=" + kind + ": allowed values are noscan, pointers");
        }
        if (size < 8 || size % 8 != 0) {
            throw new IllegalArgumentException("size=" + size + ": must be a positive multiple of 8");
        }
        runBudget = size >= 32 << 10 ? (long) RUN_BUDGET_LARGE_GB << 30 : (long) RUN_BUDGET_SMALL_MB << 20;
        perInvocation = (long) N * size;
        // Size classes round up by at most 12.5 %; a large object is whole 8 KiB pages (64 KiB: exactly 8).
        arenaBytes = runBudget + 2 * perInvocation + (64L << 20);
    }

    /** A fresh run, with its own arena, for every iteration (warm-up ones included). */
    @Setup(Level.Iteration)
    public void freshRun() {
        replaceRun();
    }

    /** Replaces the run, outside the timed part, when the next invocation might not fit in its budget. */
    @Setup(Level.Invocation)
    public void ensureRoom() {
        long m = mapped;
        perInvocation = Math.max(perInvocation, m - mappedBefore);
        if (m + perInvocation > runBudget) {
            replaceRun();
        }
        mappedBefore = mapped;
    }

    private void replaceRun() {
        golab.close();
        // GOGC=off: the allocation path alone, as in Go's GOGC=off figures (no cycle, no assist).
        golab = new GolabServer(GoConfig.defaults().withGomaxprocs(gomaxprocs).withArenaBytes(arenaBytes)
                .withGogc(GcSettings.GOGC_OFF));
        mapped = 0;
        mappedBefore = 0;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void golabAlloc(Blackhole bh) {
        int n = size;
        long words = size / 8;
        boolean pointerFree = noscan;
        golab.call(() -> {
            if (pointerFree) {
                for (int i = 0; i < N; i++) {
                    bh.consume(Heap.allocBytes(n));
                }
            } else {
                for (int i = 0; i < N; i++) {
                    bh.consume(Heap.allocArray(Type.POINTER, words));
                }
            }
            mapped = Park.sched().heap.arena().mapped();
        });
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void javaNew(Blackhole bh) {
        if (noscan) {
            int n = size;
            for (int i = 0; i < N; i++) {
                bh.consume(new byte[n]);
            }
        } else {
            int words = size / 8;
            for (int i = 0; i < N; i++) {
                bh.consume(new Object[words]);
            }
        }
    }
}
