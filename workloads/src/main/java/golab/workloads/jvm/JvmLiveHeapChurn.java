package golab.workloads.jvm;

import golab.workloads.gc.Churn;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

/**
 * The live-heap churn as a Java user would write it: {@code golab.workloads.gc.LiveHeapChurn} over JVM objects,
 * under G1 ({@link #g1}) or generational ZGC ({@link #zgc}), with the same parameters and the same shape
 * ({@link Churn}): a table of {@link Node}s, groups of {@value Churn#GROUP} slots forming trees in heap order,
 * {@code gomaxprocs} mutator virtual threads each replacing uniformly chosen slots of its own groups at a paced
 * share of {@code rate}, in 1 ms batches.
 *
 * <p>The trial builds the table and collects once; each invocation is one {@value Churn#WINDOW_MILLIS} ms window of
 * churn, its score the window's length ({@value Churn#WINDOW_MILLIS} ms while the mutators keep their pace).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JvmLiveHeapChurn extends JvmWorkload {

    /** How the mutators wait: as virtual threads. */
    private static final Churn.Sleeper VIRTUAL_THREAD_WAITS = new Churn.Sleeper() {
        @Override
        public void sleep(long nanos) {
            LockSupport.parkNanos(nanos);
        }

        @Override
        public void yieldTurn() {
            Thread.yield();
        }
    };

    /** Bytes of live heap, Go's syntax: {@code 64MiB}, {@code 1GiB}. */
    @Param({"64MiB"})
    public String liveHeap;

    /** Bytes allocated per second by all mutators together, Go's syntax. */
    @Param({"64MiB"})
    public String rate;

    private Node[] table;
    private double bytesPerSecond;
    private long windows;

    @Override
    protected void setUpTrial() {
        bytesPerSecond = bytes("rate", rate);
        // Each slot is a node and its table entry (a compressed reference), as the model's is a node and a pointer.
        int n = (int) (liveHeapBytes(liveHeap) / (Node.BYTES + Integer.BYTES));
        if (n < Churn.GROUP) {
            throw new IllegalArgumentException("liveHeap=" + liveHeap + ": allowed values hold at least "
                    + Churn.GROUP + " nodes of " + (Node.BYTES + Integer.BYTES) + " bytes");
        }
        table = new Node[n];
        for (int b = 0; b < n; b += Churn.GROUP) {
            int end = Churn.groupEnd(b, n);
            for (int k = end - 1; k >= b; k--) {
                table[k] = linked(new Node(k, 0), b, end, k);
            }
        }
        System.gc();
    }

    @Override
    protected void tearDownTrial() {
        table = null;
    }

    /** One window of churn; returns the nodes allocated. Each window draws other slots (its own seed). */
    @Override
    protected long window() throws InterruptedException {
        long seed = seed() + ++windows;
        int n = table.length;
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(Churn.WINDOW_MILLIS);
        Churn.Mutated[] mutated = new Churn.Mutated[gomaxprocs];
        Thread[] mutators = new Thread[gomaxprocs];
        for (int m = 0; m < gomaxprocs; m++) {
            int id = m;
            mutators[m] = Thread.startVirtualThread(() -> mutated[id] = Churn.mutate(this::replace,
                    Churn.firstSlot(n, id, gomaxprocs), Churn.firstSlot(n, id + 1, gomaxprocs),
                    Churn.mutatorSeed(seed, id), bytesPerSecond / gomaxprocs, Node.BYTES, Churn.BATCH, start, end,
                    VIRTUAL_THREAD_WAITS));
        }
        long replacements = 0;
        for (int m = 0; m < gomaxprocs; m++) {
            mutators[m].join();
            replacements += mutated[m].replacements();
        }
        return replacements;
    }

    /** Swaps the node in slot k for a fresh one; afterwards nothing references the old node. */
    private void replace(int k, long val) {
        int b = Churn.groupStart(k);
        Node node = linked(new Node(k, val), b, Churn.groupEnd(b, table.length), k);
        table[k] = node;
        if (k > b) {
            Node parent = table[Churn.parent(b, k)];
            if (Churn.isLeftChild(b, k)) {
                parent.left = node;
            } else {
                parent.right = node;
            }
        }
    }

    /** Points {@code node}, for slot {@code k} of the group {@code [b, end)}, at its children's current nodes. */
    private Node linked(Node node, int b, int end, int k) {
        int left = Churn.leftChild(b, k);
        if (left < end) {
            node.left = table[left];
            if (left + 1 < end) {
                node.right = table[left + 1];
            }
        }
        return node;
    }
}
