package golab.workloads.jvm;

import golab.workloads.Arrivals;
import golab.workloads.VirtualThreads;
import golab.workloads.lab.RequestServer;
import golab.workloads.record.IntervalRecorder;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

/**
 * The request server as a Java user would write it: {@link RequestServer} on virtual threads with JVM objects,
 * under G1 ({@link #g1}) or generational ZGC ({@link #zgc}), with the same parameters.
 *
 * <p>An open-loop generator (a virtual thread) issues {@code rate} requests per second at intended start times,
 * evenly spaced ({@code arrival=constant}) or with exponential gaps ({@code arrival=poisson}); it sleeps until the
 * next intended time and then issues every request whose time has come. Each request is a virtual thread: it reads
 * {@value RequestServer#READS} random entries of a cache of {@code liveHeap} bytes of {@link Node}s, allocates a
 * response graph of {@value RequestServer#NODES} linked nodes (the first referring to a cache entry) and a
 * {@code byte[bufferBytes]} it fills and checks, records its latency from the intended start into
 * {@code latency.hlog} and from its issue into {@code latency-from-issue.hlog}, and hands the response over a
 * queue to the generator, which takes every reply before the window ends. The response travels with the reply, as
 * a server hands its response to the writer, so no allocation can be optimised away.
 *
 * <p>One invocation is one {@value RequestServer#WINDOW_MILLIS} ms window of arrivals, its score the window's
 * length.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JvmRequestServer extends JvmWorkload {

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

    private Node[] cache;
    private IntervalRecorder latency;
    private IntervalRecorder latencyFromIssue;
    private Arrivals arrivals;
    private long windows;

    /** A reply: the response graph's head and the request's checksum. */
    private record Reply(Node response, long checksum) {
    }

    @Override
    protected void setUpTrial() {
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("bufferBytes=" + bufferBytes + ": allowed values are positive");
        }
        // Each entry is a node and its slot in the table (a compressed reference), as the model's is a node and a
        // pointer.
        int entries = (int) Math.max(RequestServer.READS, liveHeapBytes(liveHeap) / (Node.BYTES + Integer.BYTES));
        cache = new Node[entries];
        for (int i = 0; i < entries; i++) {
            cache[i] = new Node(i, i * 31L);
        }
        arrivals = new Arrivals(rate, arrival, seed());
        latency = latencyRecorder();
        latencyFromIssue = recording.recorder(LATENCY_FROM_ISSUE);
        System.gc();
    }

    @Override
    protected void tearDownTrial() {
        cache = null;
    }

    /** One window of requests, generated on a virtual thread (the generator parks between arrivals). */
    @Override
    protected long window() {
        long[] checksum = new long[1];
        VirtualThreads.runInVirtualThread(() -> checksum[0] = issueAndTakeReplies());
        return checksum[0];
    }

    /** Issues one window of requests at their intended times and takes every reply. */
    private long issueAndTakeReplies() {
        int requests = (int) Math.max(1, (long) rate * RequestServer.WINDOW_MILLIS / 1000);
        BlockingQueue<Reply> replies = new ArrayBlockingQueue<>(requests);
        windows++;
        long intended = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            long now = System.nanoTime();
            while (intended > now) { // parkNanos may return early
                LockSupport.parkNanos(intended - now);
                now = System.nanoTime();
            }
            long due = intended;
            long issued = now;
            long seed = seed() * 0x9e3779b97f4a7c15L + windows * 1_000_003L + i;
            Thread.startVirtualThread(() -> {
                Reply reply = handle(seed);
                long replied = System.nanoTime();
                latency.recordValue(replied - due);
                latencyFromIssue.recordValue(replied - issued);
                replies.add(reply);
            });
            intended += arrivals.nextGapNanos();
        }
        long sum = 0;
        for (int i = 0; i < requests; i++) {
            try {
                Reply reply = replies.take();
                sum += reply.checksum() + reply.response().key;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for replies", e);
            }
        }
        return sum;
    }

    /** One request: reads the cache, builds the response graph ({@code left} links it, {@code right} refers). */
    private Reply handle(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long sum = 0;
        Node entry = null;
        for (int r = 0; r < RequestServer.READS; r++) {
            entry = cache[random.nextInt(cache.length)];
            sum += entry.val;
        }
        Node head = new Node(0, sum);
        head.right = entry;
        for (int n = 1; n < RequestServer.NODES; n++) {
            Node node = new Node(n, sum + n);
            node.left = head;
            head = node;
        }
        byte[] buffer = new byte[bufferBytes];
        for (int off = 0; off < bufferBytes; off++) {
            buffer[off] = (byte) (sum ^ off);
        }
        for (int off = 0; off < bufferBytes; off++) {
            if (buffer[off] != (byte) (sum ^ off)) {
                throw new IllegalStateException("request " + seed + ": the buffer did not keep what was written");
            }
        }
        int length = 0;
        for (Node node = head; node != null; node = node.left) {
            length++;
        }
        if (length != RequestServer.NODES) {
            throw new IllegalStateException("request " + seed + ": response graph of " + length + " nodes");
        }
        return new Reply(head, sum);
    }
}
