package golab.workloads.jvm;

/**
 * The JVM twin of the model heap's 64-byte node ({@code golab.workloads.lab.RequestServer.NODE} and
 * {@code golab.workloads.gc.LiveHeapChurn.NODE}): two references and two longs, padded with three more longs to
 * 64 bytes under HotSpot's default layout (12-byte header, 4-byte compressed references).
 */
final class Node {

    /** The node's size under that layout, and the live-heap bytes each one stands for. */
    static final int BYTES = 64;

    Node left;
    Node right;
    long key;
    long val;
    @SuppressWarnings("unused")
    private long pad0;
    @SuppressWarnings("unused")
    private long pad1;
    @SuppressWarnings("unused")
    private long pad2;

    Node(long key, long val) {
        this.key = key;
        this.val = val;
    }
}
