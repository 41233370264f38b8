package golab.workloads.gc;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.gc.Collector;
import golab.runtime.gc.GcSettings;
import golab.runtime.gc.PacerVersion;
import golab.runtime.heap.Heap;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.Type;
import golab.runtime.metrics.GcTrace;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;
import golab.workloads.Workload;
import golab.workloads.record.HiccupProbe;
import golab.workloads.record.IntervalRecorder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

/**
 * Live-heap churn, the GC workload: a live heap of L bytes of small pointerful objects, replaced at random at
 * a steady allocation rate while the collector runs. It demonstrates what the collector costs a program at a
 * given live heap, GOGC, GOMEMLIMIT and GOMAXPROCS: stop-the-world pauses, cycles per GiB allocated, peak
 * heap over live heap, and the CPU spent marking (background and assists).
 *
 * <p>It is the twin of {@code workloads/go/gcchurn} (Go 1.19, stdlib only), field for field, so the two can
 * be set side by side: 64-byte nodes with two pointers (left, right) and six scalars; a table of
 * {@code n = L / 72} slots; groups of 8 slots forming binary trees in heap order; M = GOMAXPROCS mutators,
 * each owning whole groups and replacing a uniformly chosen slot per allocation (splitmix64, Lemire's
 * multiply-shift), paced in 1 ms batches against the wall clock; a goroutine that sleeps 1 ms and records
 * how late it wakes (the hiccup probe); a sampler of the heap every 10 ms. The live heap is built with the
 * collector off and collected once; then both churn until two cycles have ended and collect again, so that the
 * window starts from a collected heap that replacements have scattered (golab also needs the warm-up for its JIT).
 *
 * <p>Run: {@code java ... golab.workloads.gc.LiveHeapChurn -live 256MiB -rate 200MiB -duration 10s
 * -gomaxprocs 2 -out result.json}. Pointers are held in Java locals only between safepoints; each new node
 * is stored into the table before the next allocation.
 *
 * <p>The same churn is a lab workload under JMH ({@link #churn}): the trial builds the live heap as {@link #run}
 * does, and each invocation is one {@value Churn#WINDOW_MILLIS} ms window of churn at {@code rate} by
 * {@code gomaxprocs} mutators; the score is the window's length ({@value Churn#WINDOW_MILLIS} ms while the
 * mutators keep their pace, more when pauses and assists hold them back), the answer is in the trial's recordings (pauses,
 * scheduling latencies, hiccups, gctrace, runtime metrics).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LiveHeapChurn extends Workload {

    private static final Duration WINDOW = Duration.ofMillis(Churn.WINDOW_MILLIS);
    /** Collector cycles that end in the warm-up, so that every phase has run before the window. */
    static final int WARMUP_CYCLES = 2;

    static final Type NODE = Type.builder("node").pointer("left").pointer("right").scalar("key", 8)
            .scalar("val", 8).scalar("pad", 32).build();
    static final long LEFT = NODE.offset("left");
    static final long RIGHT = NODE.offset("right");
    static final long KEY = NODE.offset("key");
    static final long VAL = NODE.offset("val");
    static final Type ROOTS = Type.builder("roots").pointer("table").build();

    /** How the mutators wait: as goroutines. */
    private static final Churn.Sleeper GOROUTINE_WAITS = new Churn.Sleeper() {
        @Override
        public void sleep(long nanos) {
            Go.sleep(Duration.ofNanos(nanos));
        }

        @Override
        public void yieldTurn() {
            Go.gosched();
        }
    };

    /** The parameters, as the Go twin's flags. */
    public record Params(long liveBytes, double rateBytesPerSecond, Duration duration, int gogc, long memoryLimit,
                         int gomaxprocs, long seed, Duration batch, Duration warmup) {

        public Params {
            if (liveBytes < 72 * Churn.GROUP) {
                throw new IllegalArgumentException("-live " + liveBytes + ": must be at least " + 72 * Churn.GROUP + " bytes");
            }
            if (!(rateBytesPerSecond > 0)) {
                throw new IllegalArgumentException("-rate " + rateBytesPerSecond + ": must be a positive bytes/s");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("-duration " + duration + ": must be positive");
            }
        }

        long nodes() {
            return nodesOf(liveBytes);
        }
    }

    /** Bytes of live heap, Go's syntax: {@code 64MiB}, {@code 1GiB}. */
    @Param({"64MiB"})
    public String liveHeap;

    /** Bytes allocated per second by all mutators together, Go's syntax. */
    @Param({"64MiB"})
    public String rate;

    private Params params;
    private long roots;
    private long windows;

    @Override
    protected GoConfig configure(GoConfig config) {
        return config.withArenaBytes(arenaBytes(bytes("liveHeap", liveHeap)));
    }

    @Override
    protected void setUpTrial() {
        params = new Params(bytes("liveHeap", liveHeap), bytes("rate", rate), WINDOW, GcSettings.parseGOGC(gogc),
                GcSettings.parseGOMEMLIMIT(gomemlimit), gomaxprocs, seed(), Churn.BATCH, Duration.ZERO);
        golab.call(() -> {
            roots = buildTable((int) params.nodes());
            Go.gc();
        });
    }

    /** One window of churn; returns the nodes allocated. Each window draws other slots (its own seed). */
    @Benchmark
    public long churn() {
        long seed = params.seed() + ++windows;
        long[] replacements = new long[1];
        golab.call(() -> replacements[0] = runMutators(params, roots, seed, System.nanoTime(), WINDOW)
                .replacements());
        return replacements[0];
    }

    /** The table's slots (and nodes) for a live heap of {@code liveBytes}: a node and its 8-byte slot each. */
    static long nodesOf(long liveBytes) {
        return liveBytes / (NODE.size() + 8);
    }

    /** The model heap for a live heap of {@code liveBytes}: room for the churn's garbage besides. */
    static long arenaBytes(long liveBytes) {
        return Math.max(GoConfig.DEFAULT_ARENA_BYTES, liveBytes * 4 + (1L << 30));
    }

    /**
     * Runs the workload on a fresh golab runtime whose collector paces as Go {@code pacer} does, and returns the
     * result as ordered JSON-ready maps.
     */
    public static Map<String, Object> run(Params p, PacerVersion pacer) {
        java.io.ByteArrayOutputStream trace = new java.io.ByteArrayOutputStream();
        GoConfig config = GoConfig.defaults().withGomaxprocs(p.gomaxprocs()).withGogc(p.gogc())
                .withGomemlimit(p.memoryLimit()).withPacer(pacer).withArenaBytes(arenaBytes(p.liveBytes()))
                .withGodebug("gctrace=1")
                .withStderr(new java.io.PrintStream(trace, true, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> result = new LinkedHashMap<>();
        GoRuntime.run(config, () -> workload(p, result));
        // The gctrace lines of the cycles that ended inside the window, as the Go twin keeps them.
        long first = (long) result.remove("first_cycle");
        long last = (long) result.remove("last_cycle");
        List<String> lines = trace.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("gc "))
                .filter(l -> {
                    long n = Long.parseLong(l.substring(3, l.indexOf(' ', 3)));
                    return n > first && n <= last;
                })
                .toList();
        result.put("gctrace_lines", lines);
        double capacityMs = (double) ((Map<?, ?>) result.get("gc_cpu_counters")).get("capacity_ms");
        result.put("gc_cpu", cpuOfCycles(lines, capacityMs));
        return result;
    }

    /**
     * The GC CPU of the cycles that ended in the window, summed over their gctrace lines exactly as the Go twin
     * sums its own (gcchurn's {@code GCCPU}), so that both sides of a table share one definition. A window with
     * one or two cycles (4 GiB and up) counts a cycle that straddles an edge wholly or not at all.
     */
    static Map<String, Object> cpuOfCycles(List<String> lines, double capacityMs) {
        double stw = 0;
        double assist = 0;
        double background = 0;
        double idle = 0;
        for (String line : lines) {
            Matcher m = GcTrace.LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("not a gctrace line: " + line);
            }
            stw += Double.parseDouble(m.group("sweepTermCpu")) + Double.parseDouble(m.group("markTermCpu"));
            assist += Double.parseDouble(m.group("assistCpu"));
            background += Double.parseDouble(m.group("backgroundCpu"));
            idle += Double.parseDouble(m.group("idleCpu"));
        }
        return ordered("cycles", lines.size(), "stw_cpu_ms", stw, "assist_cpu_ms", assist, "background_cpu_ms",
                background, "idle_cpu_ms", idle, "capacity_ms", capacityMs,
                "gc_share_of_capacity", (stw + assist + background) / capacityMs,
                "assist_share_of_capacity", assist / capacityMs, "idle_share_of_capacity", idle / capacityMs,
                "definition", "Sums over the gctrace lines of the cycles that ended inside the window, as the Go "
                        + "twin sums its own (a cycle straddling a window edge counts wholly or not at all): GC CPU = "
                        + "STW CPU (pause x GOMAXPROCS, both stops) + assist + dedicated/fractional workers; idle "
                        + "marking reported separately and excluded. gc_cpu_counters has the collector's counters "
                        + "over the window instead.");
    }

    private static void workload(Params p, Map<String, Object> out) {
        Sched sched = Park.sched();
        Collector gc = sched.gc;
        MHeap heap = sched.heap;
        int n = (int) p.nodes();

        long t0 = System.nanoTime();
        long roots = buildTable(n);
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        long tGc = System.nanoTime();
        Go.gc();
        double forcedGcMs = (System.nanoTime() - tGc) / 1e6;
        long liveAfterGc = heap.stats().objectsBytes();

        int mutators = p.gomaxprocs();
        // Warm-up: windows like the measured one, so that the JIT has compiled the mutators', the probe's, the
        // sampler's and the collector's paths before it, and the heap is no longer in build order (the twin warms
        // up the same way, for the heap); what they record is dropped. They go on until WARMUP_CYCLES cycles have
        // ended, as a large heap may not finish one within -warmup, but no longer than the measured window, which
        // bounds it when no cycle comes (GOGC=off). Then a forced collection again, so that the window starts from
        // a collected heap: with one or two cycles in a window at 4 GiB and more, where a cycle stands at its start
        // decides the counts.
        long warmupStart = System.nanoTime();
        long cyclesBeforeWarmup = gc.cycles();
        if (!p.warmup().isZero()) {
            int round = 0;
            do {
                window(p, roots, p.seed() + 1_000_000 + round++, p.warmup());
            } while (gc.cycles() - cyclesBeforeWarmup < WARMUP_CYCLES
                    && System.nanoTime() - warmupStart < p.duration().toNanos());
            Go.gc();
        }
        double warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
        long warmupCycles = gc.cycles() - cyclesBeforeWarmup;
        Snapshot before = Snapshot.take(gc, heap);
        Map<String, long[]> jvmGcBefore = jvmGc();
        long jitBefore = jitMillis();
        Window w = window(p, roots, p.seed(), p.duration());
        double seconds = w.seconds();
        Snapshot after = Snapshot.take(gc, heap);
        Map<String, long[]> jvmGcAfter = jvmGc();
        long jitMillis = jitMillis() - jitBefore;

        long totalReplacements = w.mutated().replacements();
        long lateBatches = w.mutated().lateBatches();
        long bytes = after.allocBytes - before.allocBytes;
        long cycles = after.cycles - before.cycles;
        double capacityMs = seconds * 1000 * p.gomaxprocs();
        double stwCpu = (after.pauseCpu - before.pauseCpu) / 1e6;
        double assistCpu = (after.assist - before.assist) / 1e6;
        double bgCpu = (after.background - before.background) / 1e6;
        double idleCpu = (after.idle - before.idle) / 1e6;
        Histogram pauses = after.pauses.copy();
        pauses.subtract(before.pauses);
        Histogram stopping = after.stopping.copy();
        stopping.subtract(before.stopping);

        out.put("first_cycle", before.cycles);
        out.put("last_cycle", after.cycles);
        out.put("workload", "live-heap churn (golab)");
        out.put("params", ordered("live_bytes", p.liveBytes(), "rate_bytes_per_s", p.rateBytesPerSecond(),
                "duration_s", p.duration().toNanos() / 1e9, "warmup_s", p.warmup().toNanos() / 1e9, "gogc", p.gogc(), "memlimit_bytes", p.memoryLimit(),
                "gomaxprocs", p.gomaxprocs(), "mutators", mutators, "seed", p.seed(), "node_bytes", NODE.size(),
                "nodes", n, "table_bytes", 8L * n, "pacer", gc.pacer().version().toString()));
        out.put("env", ordered("java_version", System.getProperty("java.version"), "num_cpu",
                Runtime.getRuntime().availableProcessors(), "thp_enabled", transparentHugePages(),
                "damon", damonState()));
        out.put("build", ordered("seconds", buildSeconds, "forced_gc_ms", forcedGcMs, "heap_alloc_after_gc",
                liveAfterGc));
        out.put("warmup", ordered("seconds", warmupSeconds, "gc_cycles", warmupCycles));
        out.put("window", ordered("seconds", seconds, "gc_cycles", cycles, "bytes_allocated", bytes,
                "gib_allocated", bytes / (double) (1L << 30), "cycles_per_gib_allocated",
                bytes == 0 ? 0 : cycles / (bytes / (double) (1L << 30)), "replacements", totalReplacements,
                "achieved_rate_bytes_per_s", totalReplacements * NODE.size() / seconds, "late_batches", lateBatches));
        out.put("pauses", ordered("histogram", dist(pauses, "/gc/pauses:seconds (HdrHistogram, exact to 0.1%): "
                + "every stop-the-world pause from the stop request to the restart"), "stopping", dist(stopping,
                "/sched/pauses/stopping/gc:seconds: the part of each pause until every P stopped")));
        long[] peaks = w.peaks();
        out.put("heap", ordered("samples", w.samples(), "peak_inuse_bytes", peaks[0], "peak_inuse_over_live",
                peaks[0] / (double) p.liveBytes(), "peak_objects_bytes", peaks[1], "peak_goal_bytes", peaks[2],
                "peak_mapped_bytes", peaks[3]));
        out.put("gc_cpu_counters", ordered("cycles", cycles, "stw_cpu_ms", stwCpu, "assist_cpu_ms", assistCpu,
                "background_cpu_ms", bgCpu, "idle_cpu_ms", idleCpu, "capacity_ms", capacityMs,
                "gc_share_of_capacity", (stwCpu + assistCpu + bgCpu) / capacityMs,
                "assist_share_of_capacity", assistCpu / capacityMs, "idle_share_of_capacity", idleCpu / capacityMs,
                "definition", "Collector counters over the window, the cycles at its edges in part: GC CPU = STW "
                        + "pause x GOMAXPROCS + assist + dedicated/fractional workers; idle marking reported "
                        + "separately and excluded. Worker and assist times are wall-clock time spent marking."));
        out.put("hiccup", dist(w.hiccup(), "1 ms sleep lateness of a goroutine"));
        out.put("hiccup_thread", dist(w.hiccupThread(), "1 ms sleep lateness of a platform "
                + "thread outside golab (the machine's and the JVM's share of the goroutine's)"));
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvmGcAfter.forEach((name, a) -> {
            long[] b = jvmGcBefore.getOrDefault(name, new long[2]);
            jvm.put(name, ordered("collections", a[0] - b[0], "time_ms", a[1] - b[1]));
        });
        jvm.put("source", "GarbageCollectorMXBeans over the window: the JVM's own collections (for ZGC, the Pauses "
                + "beans are stop-the-world time, the Cycles beans concurrent time)");
        out.put("jvm_gc", jvm);
        out.put("jvm_jit", ordered("compile_ms", jitMillis, "source", "CompilationMXBean over the window: time the "
                + "JIT compiler threads spent compiling, which on a machine with as many cores as GOMAXPROCS "
                + "competes with the Ms for the CPU"));
    }

    /** What one window of churn recorded besides the collector's counters. */
    private record Window(double seconds, Churn.Mutated mutated, Histogram hiccup, Histogram hiccupThread,
                          long[] peaks, int samples) {
    }

    /**
     * Runs the mutators for {@code length} beside the hiccup probe and a sampler of the heap's peaks (in-use,
     * objects, goal, mapped) every 10 ms, and waits for all three.
     */
    private static Window window(Params p, long roots, long seed, Duration length) {
        Sched sched = Park.sched();
        Collector gc = sched.gc;
        MHeap heap = sched.heap;
        long start = System.nanoTime();
        long end = start + length.toNanos();
        IntervalRecorder hiccup = new IntervalRecorder();
        IntervalRecorder hiccupThread = new IntervalRecorder();
        HiccupProbe probe = new HiccupProbe(hiccupThread);
        long[] peaks = new long[4];
        int[] samples = {0};
        golab.runtime.sync.WaitGroup wg = new golab.runtime.sync.WaitGroup();
        wg.add(2);
        Go.go(() -> {
            probe.runGoroutine(hiccup);
            wg.done();
        });
        Go.go(() -> {
            while (true) {
                peaks[0] = Math.max(peaks[0], heap.inUseBytes() - sched.stacks.inUseBytes());
                peaks[1] = Math.max(peaks[1], heap.stats().objectsBytes());
                peaks[2] = Math.max(peaks[2], gc.pacer().heapGoal());
                peaks[3] = Math.max(peaks[3], heap.mappedBytes() - heap.releasedBytes());
                samples[0]++;
                if (System.nanoTime() >= end) {
                    break;
                }
                Go.sleep(Duration.ofMillis(10));
            }
            wg.done();
        });
        Churn.Mutated mutated = runMutators(p, roots, seed, start, length);
        stopProbe(probe);
        wg.await();
        return new Window((System.nanoTime() - start) / 1e9, mutated, hiccup.intervalHistogram(),
                hiccupThread.intervalHistogram(), peaks, samples[0]);
    }

    /** The JIT's total compilation time so far, in ms (-1 when the JVM does not count it). */
    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** The JVM's own collections so far, per collector bean: {count, milliseconds}. */
    private static Map<String, long[]> jvmGc() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
            m.put(b.getName(), new long[] {Math.max(0, b.getCollectionCount()), Math.max(0, b.getCollectionTime())});
        }
        return m;
    }

    /**
     * Runs {@code p.gomaxprocs()} mutators alone for {@code length} from {@code start} and waits for them; returns
     * their totals.
     */
    private static Churn.Mutated runMutators(Params p, long roots, long seed, long start, Duration length) {
        int n = (int) p.nodes();
        int mutators = p.gomaxprocs();
        Churn.Mutated[] mutated = new Churn.Mutated[mutators];
        golab.runtime.sync.WaitGroup wg = new golab.runtime.sync.WaitGroup();
        wg.add(mutators);
        long end = start + length.toNanos();
        for (int m = 0; m < mutators; m++) {
            int id = m;
            Go.go(() -> {
                // A pointer held across a safepoint must be in a root: every replacement allocates, so each one
                // loads the table from its global.
                mutated[id] = Churn.mutate((k, val) -> replace(Heap.loadPointer(roots, 0), n, k, val),
                        Churn.firstSlot(n, id, mutators), Churn.firstSlot(n, id + 1, mutators),
                        Churn.mutatorSeed(seed, id), p.rateBytesPerSecond() / mutators, NODE.size(), p.batch(), start,
                        end, GOROUTINE_WAITS);
                wg.done();
            });
        }
        wg.await();
        long replacements = 0;
        long late = 0;
        for (Churn.Mutated m : mutated) {
            replacements += m.replacements();
            late += m.lateBatches();
        }
        return new Churn.Mutated(replacements, late);
    }

    /**
     * Allocates the table of {@code n} slots and fills it with nodes, with the collector off (the build's garbage
     * is the table's growth only); returns the global that holds the table. GOGC is as it was afterwards.
     */
    private static long buildTable(int n) {
        int gogc = Go.setGCPercent(GcSettings.GOGC_OFF);
        long roots = Heap.global(ROOTS);
        Heap.storePointer(roots, 0, Heap.allocArray(Type.POINTER, n));
        long table = Heap.loadPointer(roots, 0);
        for (int b = 0; b < n; b += Churn.GROUP) {
            int end = Churn.groupEnd(b, n);
            for (int k = end - 1; k >= b; k--) {
                long nd = Heap.alloc(NODE);
                Heap.storeLong(nd, KEY, k);
                linkChildren(table, nd, b, end, k);
                Heap.storePointer(table, 8L * k, nd);
            }
        }
        Go.setGCPercent(gogc);
        return roots;
    }

    static void linkChildren(long table, long nd, int b, int end, int k) {
        int l = Churn.leftChild(b, k);
        if (l < end) {
            Heap.storePointer(nd, LEFT, Heap.loadPointer(table, 8L * l));
            if (l + 1 < end) {
                Heap.storePointer(nd, RIGHT, Heap.loadPointer(table, 8L * (l + 1)));
            }
        }
    }

    /** Swaps the node in slot k for a fresh one; afterwards nothing references the old node. */
    private static void replace(long table, int n, int k, long val) {
        install(table, n, k, Heap.alloc(NODE), val);
    }

    /**
     * Puts node {@code nd} in slot k with value {@code val}: its key, value and children set, the slot and the
     * parent's child pointer pointing to it. The stores and loads of a replacement, without its allocation.
     */
    static void install(long table, int n, int k, long nd, long val) {
        int b = Churn.groupStart(k);
        int end = Churn.groupEnd(b, n);
        Heap.storeLong(nd, KEY, k);
        Heap.storeLong(nd, VAL, val);
        linkChildren(table, nd, b, end, k);
        Heap.storePointer(table, 8L * k, nd);
        if (k > b) {
            long parent = Heap.loadPointer(table, 8L * Churn.parent(b, k));
            Heap.storePointer(parent, Churn.isLeftChild(b, k) ? LEFT : RIGHT, nd);
        }
    }

    /** Stops the probe; its thread ends within a sleep, so the wait blocks this M for at most a millisecond. */
    private static void stopProbe(HiccupProbe probe) {
        try {
            probe.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the hiccup probe", e);
        }
    }

    private static Map<String, Object> dist(Histogram h, String source) {
        return ordered("count", h.getTotalCount(), "p50_ms", h.getValueAtPercentile(50) / 1e6, "p99_ms",
                h.getValueAtPercentile(99) / 1e6, "max_ms", h.getMaxValue() / 1e6, "mean_ms", h.getMean() / 1e6,
                "source", source);
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The collector's cumulative counters at one moment. */
    private record Snapshot(long cycles, long allocBytes, long pauseCpu, long assist, long background, long idle,
                            Histogram pauses, Histogram stopping) {
        static Snapshot take(Collector gc, MHeap heap) {
            return new Snapshot(gc.cycles(), heap.stats().allocsBytes(), gc.pauseCpuNanos(), gc.assistNanos(),
                    gc.dedicatedNanos() + gc.fractionalNanos(), gc.idleNanos(), gc.pauses().snapshot(),
                    gc.stoppingPauses().snapshot());
        }
    }

    // ------------------------------------------------------------------ command line

    public static void main(String[] args) throws IOException {
        Map<String, String> flags = new LinkedHashMap<>(Map.of("-live", "256MiB", "-rate", "200MiB", "-duration", "10s",
                "-gogc", "100", "-memlimit", "off", "-gomaxprocs", "2", "-seed", "1", "-batch", "1ms", "-warmup", "3s", "-out", ""));
        flags.put("-pacer", PacerVersion.current().release);
        for (int i = 0; i < args.length; i++) {
            if (!flags.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("LiveHeapChurn: unknown flag or missing value: " + args[i] + "; flags: "
                        + flags.keySet());
                System.exit(2);
            }
            flags.put(args[i], args[++i]);
        }
        Params p = new Params(GcSettings.parseGOMEMLIMIT(flags.get("-live")),
                GcSettings.parseGOMEMLIMIT(flags.get("-rate")), duration(flags.get("-duration")),
                GcSettings.parseGOGC(flags.get("-gogc")), GcSettings.parseGOMEMLIMIT(flags.get("-memlimit")),
                Integer.parseInt(flags.get("-gomaxprocs")), Long.parseLong(flags.get("-seed")),
                duration(flags.get("-batch")), flags.get("-warmup").equals("0") ? Duration.ZERO
                        : duration(flags.get("-warmup")));
        String json = toJson(run(p, PacerVersion.parse("-pacer", flags.get("-pacer"))), "") + "\n";
        String outPath = flags.get("-out");
        if (outPath.isEmpty()) {
            System.out.print(json);
        } else {
            Path out = Path.of(outPath);
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.writeString(tmp, json);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A Go duration: a number with ns, us, ms, s or m. */
    static Duration duration(String s) {
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m)").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("duration " + s + ": expected a number with ns, us, ms, s or m");
        }
        double v = Double.parseDouble(m.group(1));
        double nanos = v * switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 60e9;
        };
        return Duration.ofNanos((long) nanos);
    }

    private static String toJson(Object v, String indent) {
        return switch (v) {
            case List<?> l -> {
                List<String> parts = new ArrayList<>();
                for (Object e : l) {
                    parts.add(indent + "  " + toJson(e, indent + "  "));
                }
                yield "[\n" + String.join(",\n", parts) + "\n" + indent + "]";
            }
            case Map<?, ?> m -> {
                List<String> parts = new ArrayList<>();
                for (var e : m.entrySet()) {
                    parts.add(indent + "  \"" + e.getKey() + "\": " + toJson(e.getValue(), indent + "  "));
                }
                yield "{\n" + String.join(",\n", parts) + "\n" + indent + "}";
            }
            case String s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case Double d -> Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
            default -> String.valueOf(v);
        };
    }

    /**
     * The system's transparent huge page mode ({@code always}, {@code madvise} or {@code never}), or "" where
     * unknown. Random node access costs several times more on 4 KiB pages here, and in {@code madvise} mode
     * neither golab's arena nor Go 1.19's heap gets huge pages for small objects: the mode belongs beside
     * every rate.
     */
    static String transparentHugePages() {
        try {
            String modes = Files.readString(Path.of(
                    "/sys/kernel/mm/transparent_hugepage/enabled"));
            int open = modes.indexOf('[');
            int close = modes.indexOf(']', open + 1);
            return open >= 0 && close > open ? modes.substring(open + 1, close) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * "on" if any kernel DAMON monitor (kdamond) runs, "off" if every one is off, "" without DAMON's sysfs: a
     * pageout scheme tries to reclaim memory left untouched for seconds, as a collector leaves the heap between
     * cycles (README, "This machine's DAMON").
     */
    static String damonState() {
        Path kdamonds = Path.of("/sys/kernel/mm/damon/admin/kdamonds");
        String result = "";
        try (var dirs = Files.newDirectoryStream(kdamonds)) {
            for (Path kdamond : dirs) {
                Path state = kdamond.resolve("state");
                if (!Files.isRegularFile(state)) {
                    continue;
                }
                if (Files.readString(state).strip().equals("on")) {
                    return "on";
                }
                result = "off";
            }
        } catch (IOException e) {
            return "";
        }
        return result;
    }
}
