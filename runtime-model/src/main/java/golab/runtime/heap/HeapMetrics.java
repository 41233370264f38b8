package golab.runtime.heap;

import golab.runtime.metrics.MetricDescription;
import golab.runtime.metrics.MetricValue;
import golab.runtime.metrics.RuntimeMetrics;
import java.util.function.LongSupplier;

/**
 * The heap's runtime/metrics, under Go's names with descriptions after Go's runtime/metrics/description.go,
 * read from {@link HeapStats} and the page allocator (Go's metrics.go: heapStatsAggregate, sysStatsAggregate).
 *
 * <p>As in Go, small-object counts lag by what the mcaches hold until they flush; the memory classes still
 * add up, because objects not yet counted show as unused bytes of in-use spans. Stack spans come from the
 * same pages (Go's manual spans) and are their own class, /memory/classes/heap/stacks:bytes, so
 * {@code objects + unused + stacks = in-use pages} and {@code objects + unused + stacks + free + released =
 * total}. /memory/classes/total:bytes is the heap's pages only until runtime metadata is modelled.
 */
public final class HeapMetrics {

    private HeapMetrics() {
    }

    /**
     * Registers the metrics of {@code heap} with {@code metrics}; {@code stackBytes} reads the bytes of the
     * manual spans held for stacks (Go's stacks_inuse), which are in use but not object spans.
     */
    public static void register(RuntimeMetrics metrics, MHeap heap, LongSupplier stackBytes) {
        HeapStats st = heap.stats();
        uint64(metrics, "/gc/heap/allocs:bytes", "Cumulative sum of memory allocated to the heap by the "
                + "application (whole size-class slots; tiny blocks, not tiny objects).", true, st::allocsBytes);
        uint64(metrics, "/gc/heap/allocs:objects", "Cumulative count of heap allocations triggered by the "
                + "application. Tiny objects are not included, only the tiny blocks holding them (see "
                + "/gc/heap/tiny/allocs:objects).", true, st::allocsObjects);
        uint64(metrics, "/gc/heap/tiny/allocs:objects", "Count of small pointer-free allocations packed together "
                + "into 16-byte blocks; the runtime tracks only the blocks, which are counted in "
                + "/gc/heap/allocs:objects.", true, st::tinyAllocsObjects);
        uint64(metrics, "/gc/heap/frees:bytes", "Cumulative sum of heap memory freed by the garbage collector.",
                true, st::freesBytes);
        uint64(metrics, "/gc/heap/frees:objects", "Cumulative count of heap allocations whose storage was freed by "
                + "the garbage collector.", true, st::freesObjects);
        uint64(metrics, "/gc/heap/objects:objects", "Number of objects, live or unswept, occupying heap memory.",
                false, () -> st.allocsObjects() - st.freesObjects());
        uint64(metrics, "/memory/classes/heap/objects:bytes", "Memory occupied by live objects and by dead "
                + "objects the garbage collector has not yet freed.", false, st::objectsBytes);
        uint64(metrics, "/memory/classes/heap/free:bytes", "Memory that is completely free and could be returned "
                + "to the underlying system, but has not been: free address space backed by physical memory.",
                false, heap::freeBytes);
        uint64(metrics, "/memory/classes/heap/released:bytes", "Memory that is completely free and has been "
                + "returned to the underlying system: address space still mapped but not backed by physical memory.",
                false, heap::releasedBytes);
        uint64(metrics, "/memory/classes/heap/stacks:bytes", "Memory allocated from the heap that is reserved for "
                + "stack space, whether or not it is currently in-use.", false, stackBytes);
        uint64(metrics, "/memory/classes/heap/unused:bytes", "Memory reserved for heap objects (in in-use spans) "
                + "but not currently holding heap objects.", false,
                () -> Math.max(0, heap.inUseBytes() - stackBytes.getAsLong() - st.objectsBytes()));
        uint64(metrics, "/memory/classes/total:bytes", "All memory mapped by the runtime as read-write; the sum "
                + "of the /memory/classes metrics (golab: the heap's classes so far).", false, heap::mappedBytes);
    }

    private static void uint64(RuntimeMetrics metrics, String name, String description, boolean cumulative,
            LongSupplier value) {
        metrics.register(new MetricDescription(name, description, cumulative),
                () -> new MetricValue.Uint64(value.getAsLong()));
    }
}
