package golab.runtime.heap;

/**
 * The allocator's view of the garbage collector's pacer (Go's {@code gcController} as mcache.go and
 * malloc.go see it): the allocator reports how the live heap grows, and the proportional sweeper asks
 * how big it is. The collector installs its implementation on the {@link MHeap}.
 */
public interface GcController {

    /** No collector: nothing is tracked (a heap used on its own, in tests). */
    GcController NONE = new GcController() {
        @Override
        public void update(long dHeapLive, long dHeapScan) {
        }

        @Override
        public long heapLive() {
            return 0;
        }
    };

    /**
     * Go's gcController.update: {@code heapLive} grew by {@code dHeapLive} bytes (a span was cached or a large
     * object allocated; negative when a cached span's unused slots are handed back), {@code heapScan} by
     * {@code dHeapScan}. Called by many Ps at once.
     */
    void update(long dHeapLive, long dHeapScan);

    /** Go's heapLive: bytes marked by the last cycle plus bytes allocated (in cached spans) since. */
    long heapLive();

    /**
     * Go's gcController.addScannableStack, the shared part: goroutine stack bytes grew by {@code delta} (negative
     * when they shrank). The stack allocator calls it when a P's accumulated change passes the slack.
     */
    default void addScannableStack(long delta) {
    }

    /** Go's gcController.addGlobals: {@code bytes} of globals were registered. */
    default void addGlobals(long bytes) {
    }
}
