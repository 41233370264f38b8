package golab.workloads.lab;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.chan.Chan;
import golab.runtime.heap.Frame;
import golab.runtime.heap.Frames;
import golab.runtime.heap.Heap;
import golab.runtime.heap.Type;
import golab.workloads.Arrivals;
import golab.workloads.Workload;
import golab.workloads.record.IntervalRecorder;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

/**
 * The request server, the lab's tail-latency workload: what a Go service's p99 is made of at a given load, live
 * heap, GOGC, GOMEMLIMIT and GOMAXPROCS.
 *
 * <p>An open-loop generator (the run's main goroutine) issues {@code rate} requests per second at intended start
 * times, evenly spaced ({@code arrival=constant}) or with exponential gaps ({@code arrival=poisson}); it sleeps
 * until the next intended time and then issues every request whose time has come, so a stalled server does not
 * slow the arrivals. Each request is a goroutine: it reads {@value #READS} random entries of a shared cache of
 * {@code liveHeap} bytes in the model heap, allocates a response graph of {@value #NODES} linked 64-byte nodes
 * (the first pointing at a cache entry) and a {@code bufferBytes} buffer it fills and checks, records its latency
 * from the <em>intended</em> start into {@code latency.hlog} and replies over a channel to a collector goroutine
 * that checks every request was answered: a request that waited behind a pause, a mark assist or a busy run
 * queue counts the wait (no coordinated omission).
 *
 * <p>One invocation is one {@value #WINDOW_MILLIS} ms window of arrivals and returns when every reply is in;
 * the score is the window's length, {@value #WINDOW_MILLIS} ms while the server keeps up and more when it
 * falls behind. The answer is in the recordings: {@code latency.hlog} (the tail), {@code gc-pauses.hlog},
 * {@code sched-latencies.hlog} and the two hiccup probes (where the tail comes from), {@code gctrace.txt} and
 * {@code metrics.json} (cycles, assists, GC CPU). The Go twin is {@code workloads/go}'s request server.
 *
 * <p>{@code latency-from-issue.hlog} records the same replies timed from when the generator actually issued each
 * request, as a closed-loop client (one that waits for the server before sending) would time them. With
 * {@code stallMillis} above 0, in every {@value #STALL_EVERY}th window a goroutine spins that long without a
 * safepoint, holding its P as a long stop-the-world pause would: at GOMAXPROCS=1 the stall shows in the tail of
 * {@code latency} and all but vanishes from {@code latency-from-issue}, which is coordinated omission in one run.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RequestServer extends Workload {

    public static final int WINDOW_MILLIS = 100;
    public static final int READS = 16;
    public static final int NODES = 32;
    static final int STALL_EVERY = 10;

    /** A cache entry and a response node alike: 64 bytes, two pointers, as the live-heap churn's nodes. */
    static final Type NODE = Type.builder("node").pointer("next").pointer("ref").scalar("key", 8)
            .scalar("val", 8).scalar("pad", 32).build();
    static final long NEXT = NODE.offset("next");
    static final long REF = NODE.offset("ref");
    static final long KEY = NODE.offset("key");
    static final long VAL = NODE.offset("val");
    private static final Type ROOTS = Type.builder("roots").pointer("cache").build();

    /** Bytes of live cache, Go's syntax: {@code 64MiB}, {@code 1GiB}. */
    @Param({"64MiB"})
    public String liveHeap;

    /** Requests per second issued by the generator. */
    @Param({"5000"})
    public int rate;

    /** {@code constant}: evenly spaced arrivals; {@code poisson}: exponential gaps of the same mean. */
    @Param({"poisson"})
    public String arrival;

    /** Bytes of the per-request buffer. */
    @Param({"4096"})
    public int bufferBytes;

    /** A stall injected every {@value #STALL_EVERY}th window (0: none), to see what open-loop timing catches. */
    @Param({"0"})
    public int stallMillis;

    private long roots;
    private int entries;
    private IntervalRecorder latency;
    private IntervalRecorder latencyFromIssue;
    private Arrivals arrivals;
    private long windows;

    /** A reply: the request's checksum. */
    private record Reply(long checksum) {
    }

    @Override
    protected GoConfig configure(GoConfig config) {
        long live = bytes("liveHeap", liveHeap);
        return config.withArenaBytes(Math.max(GoConfig.DEFAULT_ARENA_BYTES, live * 4 + (1L << 30)));
    }

    @Override
    protected void setUpTrial() {
        if (bufferBytes < 8 || bufferBytes % 8 != 0) {
            throw new IllegalArgumentException("bufferBytes=" + bufferBytes + ": allowed values are positive "
                    + "multiples of 8");
        }
        if (stallMillis < 0) {
            throw new IllegalArgumentException("stallMillis=" + stallMillis + ": allowed values are 0 (none) or more");
        }
        entries = (int) Math.max(READS, bytes("liveHeap", liveHeap) / (NODE.size() + 8));
        arrivals = new Arrivals(rate, arrival, seed());
        latency = latencyRecorder();
        latencyFromIssue = recording.recorder(LATENCY_FROM_ISSUE);
        golab.call(this::buildCache);
    }

    /** The cache: a table of {@code entries} pointers to nodes, reachable from a global. */
    private void buildCache() {
        roots = Heap.global(ROOTS);
        Heap.storePointer(roots, 0, Heap.allocArray(Type.POINTER, entries));
        for (int i = 0; i < entries; i++) {
            long entry = Heap.alloc(NODE);
            Heap.storeLong(entry, KEY, i);
            Heap.storeLong(entry, VAL, i * 31L);
            Heap.storePointer(Heap.loadPointer(roots, 0), 8L * i, entry);
        }
        Go.gc();
    }

    @Benchmark
    public long serve() {
        long[] checksum = new long[1];
        golab.call(() -> checksum[0] = window());
        return checksum[0];
    }

    /** Issues one window of requests at their intended times and waits for every reply. */
    private long window() {
        int requests = (int) Math.max(1, (long) rate * WINDOW_MILLIS / 1000);
        Chan<Reply> replies = Chan.make(requests);
        Chan<Long> collected = Chan.make(1);
        Go.go(() -> collected.send(collect(replies, requests)));
        boolean stall = stallMillis > 0 && ++windows % STALL_EVERY == 0;
        long intended = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            long now = System.nanoTime();
            if (intended > now) {
                if (stall && i >= requests / 2) {
                    stall = false;
                    injectStall();
                }
                Go.sleep(Duration.ofNanos(intended - now));
                now = System.nanoTime();
            }
            long due = intended;
            long issued = now;
            long seed = seed() * 0x9e3779b97f4a7c15L + windows * 1_000_003L + i;
            Go.go(() -> {
                long checksum = handle(seed);
                long replied = System.nanoTime();
                latency.recordValue(replied - due);
                latencyFromIssue.recordValue(replied - issued);
                replies.send(new Reply(checksum));
            });
            intended += arrivals.nextGapNanos();
        }
        return collected.recv();
    }

    /**
     * Starts a goroutine that holds the P for {@code stallMillis}, when the generator is on schedule and about to
     * sleep. Yielding first lets the requests already issued run, so (at GOMAXPROCS=1) none is queued behind the
     * stall: it delays only requests meant to start during it.
     */
    private void injectStall() {
        Go.gosched();
        Go.go(this::spinWithoutSafepoint);
    }

    /** A loop with no runtime call: nothing can preempt it. */
    private void spinWithoutSafepoint() {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stallMillis);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /** Receives every reply; returns the checksums' sum. */
    private long collect(Chan<Reply> replies, int requests) {
        long sum = 0;
        for (int i = 0; i < requests; i++) {
            sum += replies.recv().checksum();
        }
        return sum;
    }

    /**
     * One request: reads the cache, builds the response graph and fills the buffer. The graph's head and the
     * buffer live in frame slots, so they stay roots across the allocations that follow them.
     */
    private long handle(long seed) {
        // Cache entries are never replaced, so a pointer to one stays valid across safepoints without a root.
        SplittableRandom random = new SplittableRandom(seed);
        long table = Heap.loadPointer(roots, 0);
        long sum = 0;
        long entry = 0;
        for (int r = 0; r < READS; r++) {
            entry = Heap.loadPointer(table, 8L * random.nextInt(entries));
            sum += Heap.loadLong(entry, VAL);
        }
        try (Frame frame = Frames.push(2)) {
            long first = Heap.alloc(NODE);
            Heap.storePointer(first, REF, entry);
            frame.set(0, first);
            for (int n = 1; n < NODES; n++) {
                long node = Heap.alloc(NODE);
                Heap.storeLong(node, VAL, sum + n);
                Heap.storePointer(node, NEXT, frame.get(0));
                frame.set(0, node);
            }
            long buffer = acquireBuffer(bufferBytes);
            frame.set(1, buffer);
            for (long off = 0; off < bufferBytes; off += 8) {
                Heap.storeLong(buffer, off, sum ^ off);
            }
            long check = 0;
            for (long off = 0; off < bufferBytes; off += 8) {
                check += Heap.loadLong(buffer, off) ^ off;
            }
            if (check != sum * (bufferBytes / 8)) {
                throw new IllegalStateException("request " + seed + ": the buffer did not keep what was written");
            }
            releaseBuffer(buffer);
            long length = 0;
            for (long node = frame.get(0); node != 0; node = Heap.loadPointer(node, NEXT)) {
                length++;
            }
            if (length != NODES) {
                throw new IllegalStateException("request " + seed + ": response graph of " + length + " nodes");
            }
            return sum;
        }
    }

    /** A buffer of {@code size} bytes for one request: a fresh allocation, as a Go handler's {@code make}. */
    protected long acquireBuffer(int size) {
        return Heap.allocBytes(size);
    }

    /** Done with a buffer from {@link #acquireBuffer}: nothing to do when it was allocated fresh. */
    protected void releaseBuffer(long buffer) {
    }
}
