package golab.workloads.gc;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.gc.Collector;
import golab.runtime.gc.GcSettings;
import golab.runtime.heap.Heap;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.Type;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

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
 * collector off, then one forced collection starts the window from a collected heap.
 *
 * <p>Run: {@code java ... golab.workloads.gc.LiveHeapChurn -live 256MiB -rate 200MiB -duration 10s
 * -gomaxprocs 2 -out result.json}. Pointers are held in Java locals only between safepoints; each new node
 * is stored into the table before the next allocation.
 */
public final class LiveHeapChurn {

    static final Type NODE = Type.builder("node").pointer("left").pointer("right").scalar("key", 8)
            .scalar("val", 8).scalar("pad", 32).build();
    static final long LEFT = NODE.offset("left");
    static final long RIGHT = NODE.offset("right");
    static final long KEY = NODE.offset("key");
    static final long VAL = NODE.offset("val");
    static final int GROUP = 8;
    static final Type ROOTS = Type.builder("roots").pointer("table").build();

    /** The parameters, as the Go twin's flags. */
    public record Params(long liveBytes, double rateBytesPerSecond, Duration duration, int gogc, long memoryLimit,
                         int gomaxprocs, long seed, Duration batch, Duration warmup) {

        public Params {
            if (liveBytes < 72 * GROUP) {
                throw new IllegalArgumentException("-live " + liveBytes + ": must be at least " + 72 * GROUP + " bytes");
            }
            if (!(rateBytesPerSecond > 0)) {
                throw new IllegalArgumentException("-rate " + rateBytesPerSecond + ": must be a positive bytes/s");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("-duration " + duration + ": must be positive");
            }
        }

        long nodes() {
            return liveBytes / (NODE.size() + 8);
        }
    }

    private LiveHeapChurn() {
    }

    /** Runs the workload on a fresh golab runtime and returns the result as ordered JSON-ready maps. */
    public static Map<String, Object> run(Params p) {
        long arena = Math.max(GoConfig.DEFAULT_ARENA_BYTES, p.liveBytes() * 4 + (1L << 30));
        java.io.ByteArrayOutputStream trace = new java.io.ByteArrayOutputStream();
        GoConfig config = GoConfig.defaults().withGomaxprocs(p.gomaxprocs()).withGogc(p.gogc())
                .withGomemlimit(p.memoryLimit()).withArenaBytes(arena).withGodebug("gctrace=1")
                .withStderr(new java.io.PrintStream(trace, true, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> result = new LinkedHashMap<>();
        GoRuntime.run(config, () -> workload(p, result));
        // The gctrace lines of the cycles that ended inside the window, as the Go twin keeps them.
        long first = (long) result.remove("first_cycle");
        long last = (long) result.remove("last_cycle");
        result.put("gctrace_lines", trace.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("gc "))
                .filter(l -> {
                    long n = Long.parseLong(l.substring(3, l.indexOf(' ', 3)));
                    return n > first && n <= last;
                })
                .toList());
        return result;
    }

    private static void workload(Params p, Map<String, Object> out) {
        Sched sched = Park.sched();
        Collector gc = sched.gc;
        MHeap heap = sched.heap;
        int n = (int) p.nodes();

        long t0 = System.nanoTime();
        Go.setGCPercent(GcSettings.GOGC_OFF);
        long roots = Heap.global(ROOTS);
        Heap.storePointer(roots, 0, Heap.allocArray(Type.POINTER, n));
        build(Heap.loadPointer(roots, 0), n);
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        Go.setGCPercent(p.gogc());
        long tGc = System.nanoTime();
        Go.gc();
        double forcedGcMs = (System.nanoTime() - tGc) / 1e6;
        long liveAfterGc = heap.stats().objectsBytes();

        int mutators = p.gomaxprocs();
        // Warm-up: the same churn before the window, so the JIT has compiled the mutator and collector paths
        // (Go has no JIT: its twin needs none). Its counts are not reported.
        if (!p.warmup().isZero()) {
            churn(p, roots, n, mutators, p.seed() + 1_000_000, System.nanoTime(), p.warmup(), new long[mutators],
                    new long[mutators]);
        }
        Snapshot before = Snapshot.take(gc, heap);
        Map<String, long[]> jvmGcBefore = jvmGc();
        long start = System.nanoTime();
        long end = start + p.duration().toNanos();
        long[] replacements = new long[mutators];
        long[] late = new long[mutators];
        Histogram hiccup = new Histogram(3_600_000_000_000L, 3);
        long[] peaks = new long[4]; // in-use, objects, goal, mapped
        int[] samples = {0};
        golab.runtime.sync.WaitGroup wg = new golab.runtime.sync.WaitGroup();
        wg.add(2);
        Go.go(() -> {
            while (System.nanoTime() < end) {
                long a = System.nanoTime();
                Go.sleep(Duration.ofMillis(1));
                hiccup.recordValue(Math.max(0, System.nanoTime() - a - 1_000_000));
            }
            wg.done();
        });
        Go.go(() -> {
            while (true) {
                long inUse = heap.inUseBytes() - sched.stacks.inUseBytes();
                peaks[0] = Math.max(peaks[0], inUse);
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
        churn(p, roots, n, mutators, p.seed(), start, p.duration(), replacements, late);
        wg.await();
        double window = (System.nanoTime() - start) / 1e9;
        Snapshot after = Snapshot.take(gc, heap);
        Map<String, long[]> jvmGcAfter = jvmGc();

        long totalReplacements = 0;
        long lateBatches = 0;
        for (int m = 0; m < mutators; m++) {
            totalReplacements += replacements[m];
            lateBatches += late[m];
        }
        long bytes = after.allocBytes - before.allocBytes;
        long cycles = after.cycles - before.cycles;
        double capacityMs = window * 1000 * p.gomaxprocs();
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
                Runtime.getRuntime().availableProcessors()));
        out.put("build", ordered("seconds", buildSeconds, "forced_gc_ms", forcedGcMs, "heap_alloc_after_gc",
                liveAfterGc));
        out.put("window", ordered("seconds", window, "gc_cycles", cycles, "bytes_allocated", bytes,
                "gib_allocated", bytes / (double) (1L << 30), "cycles_per_gib_allocated",
                bytes == 0 ? 0 : cycles / (bytes / (double) (1L << 30)), "replacements", totalReplacements,
                "achieved_rate_bytes_per_s", totalReplacements * NODE.size() / window, "late_batches", lateBatches));
        out.put("pauses", ordered("histogram", dist(pauses, "/gc/pauses:seconds (HdrHistogram, exact to 0.1%): "
                + "every stop-the-world pause from the stop request to the restart"), "stopping", dist(stopping,
                "/sched/pauses/stopping/gc:seconds: the part of each pause until every P stopped")));
        out.put("heap", ordered("samples", samples[0], "peak_inuse_bytes", peaks[0], "peak_inuse_over_live",
                peaks[0] / (double) p.liveBytes(), "peak_objects_bytes", peaks[1], "peak_goal_bytes", peaks[2],
                "peak_mapped_bytes", peaks[3]));
        out.put("gc_cpu", ordered("cycles", cycles, "stw_cpu_ms", stwCpu, "assist_cpu_ms", assistCpu,
                "background_cpu_ms", bgCpu, "idle_cpu_ms", idleCpu, "capacity_ms", capacityMs,
                "gc_share_of_capacity", (stwCpu + assistCpu + bgCpu) / capacityMs,
                "assist_share_of_capacity", assistCpu / capacityMs, "idle_share_of_capacity", idleCpu / capacityMs,
                "definition", "Collector counters over the window: GC CPU = STW pause x GOMAXPROCS + assist + "
                        + "dedicated/fractional workers; idle marking reported separately and excluded, as the Go "
                        + "twin counts it. Worker and assist times are wall-clock time spent marking."));
        out.put("hiccup", dist(hiccup, "1 ms sleep lateness of a goroutine"));
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvmGcAfter.forEach((name, a) -> {
            long[] b = jvmGcBefore.getOrDefault(name, new long[2]);
            jvm.put(name, ordered("collections", a[0] - b[0], "time_ms", a[1] - b[1]));
        });
        jvm.put("source", "GarbageCollectorMXBeans over the window: the JVM's own collections (for ZGC, the Pauses "
                + "beans are stop-the-world time, the Cycles beans concurrent time)");
        out.put("jvm_gc", jvm);
    }

    /** The JVM's own collections so far, per collector bean: {count, milliseconds}. */
    private static Map<String, long[]> jvmGc() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            m.put(b.getName(), new long[] {Math.max(0, b.getCollectionCount()), Math.max(0, b.getCollectionTime())});
        }
        return m;
    }

    /** Runs the mutators alone for {@code length} from {@code start} and waits for them. */
    private static void churn(Params p, long roots, int n, int mutators, long seed, long start, Duration length,
            long[] replacements, long[] late) {
        golab.runtime.sync.WaitGroup wg = new golab.runtime.sync.WaitGroup();
        wg.add(mutators);
        long end = start + length.toNanos();
        for (int m = 0; m < mutators; m++) {
            int id = m;
            long groups = (n + GROUP - 1) / GROUP;
            int lo = (int) (groups * id / mutators * GROUP);
            int hi = (int) Math.min(n, groups * (id + 1) / mutators * GROUP);
            Go.go(() -> {
                mutate(roots, n, lo, hi, mutatorSeed(seed, id), p.rateBytesPerSecond() / mutators, p.batch(), start,
                        end, replacements, late, id);
                wg.done();
            });
        }
        wg.await();
    }

    private static void build(long table, int n) {
        for (int b = 0; b < n; b += GROUP) {
            int end = Math.min(n, b + GROUP);
            for (int k = end - 1; k >= b; k--) {
                long nd = Heap.alloc(NODE);
                Heap.storeLong(nd, KEY, k);
                linkChildren(table, nd, b, end, k);
                Heap.storePointer(table, 8L * k, nd);
            }
        }
    }

    private static void linkChildren(long table, long nd, int b, int end, int k) {
        int l = b + 2 * (k - b) + 1;
        if (l < end) {
            Heap.storePointer(nd, LEFT, Heap.loadPointer(table, 8L * l));
            if (l + 1 < end) {
                Heap.storePointer(nd, RIGHT, Heap.loadPointer(table, 8L * (l + 1)));
            }
        }
    }

    /** Swaps the node in slot k for a fresh one; afterwards nothing references the old node. */
    private static void replace(long table, int n, int k, long val) {
        int b = k & ~(GROUP - 1);
        int end = Math.min(n, b + GROUP);
        long nd = Heap.alloc(NODE);
        Heap.storeLong(nd, KEY, k);
        Heap.storeLong(nd, VAL, val);
        linkChildren(table, nd, b, end, k);
        Heap.storePointer(table, 8L * k, nd);
        int j = k - b;
        if (j > 0) {
            long parent = Heap.loadPointer(table, 8L * (b + (j - 1) / 2));
            Heap.storePointer(parent, (j & 1) == 1 ? LEFT : RIGHT, nd);
        }
    }

    private static void mutate(long roots, int n, int lo, int hi, long seed, double rate, Duration batch, long start,
            long end, long[] replacements, long[] late, int id) {
        int size = hi - lo;
        if (size == 0) {
            return;
        }
        long[] rng = {seed};
        int perBatch = (int) Math.max(1, Math.round(rate * batch.toNanos() / 1e9 / NODE.size()));
        long interval = (long) (perBatch * NODE.size() / rate * 1e9);
        long val = 0;
        for (long b = 0; ; b++) {
            long due = start + b * interval;
            if (due >= end) {
                break;
            }
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (now < due) {
                Go.sleep(Duration.ofNanos(due - now));
            }
            if (now - due > interval) {
                late[id]++;
            }
            long table = Heap.loadPointer(roots, 0);
            for (int j = 0; j < perBatch; j++) {
                val++;
                replace(table, n, lo + below(rng, size), val);
            }
        }
        replacements[id] = val;
    }

    /** splitmix64, as the Go twin's. */
    static long next(long[] s) {
        s[0] += 0x9e3779b97f4a7c15L;
        long z = s[0];
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static int below(long[] s, int n) {
        return (int) Math.unsignedMultiplyHigh(next(s), n);
    }

    static long mutatorSeed(long seed, int m) {
        long[] s = {seed + m};
        return next(s);
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
        String json = toJson(run(p), "") + "\n";
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
}
