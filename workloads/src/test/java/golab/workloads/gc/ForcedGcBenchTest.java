package golab.workloads.gc;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoRuntime;
import golab.runtime.heap.Heap;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The forced-collection benchmark's heap: the churn's table and trees, its nodes placed in the Go twin's order. */
@Timeout(60)
class ForcedGcBenchTest {

    /** The order in which the Go twin's scatteredTable allocates the nodes of 16 slots with seed 1. */
    private static final int[] GO_ORDER_OF_16 = {6, 0, 15, 1, 3, 7, 14, 2, 4, 10, 8, 12, 5, 13, 11, 9};

    @Test
    void nodesAreAllocatedInTheGoTwinsShuffledOrder() {
        GoRuntime.run(() -> {
            long table = Heap.loadPointer(ForcedGcBench.scatteredTable(16, ForcedGcBench.SEED), 0);
            long[] node = IntStream.range(0, 16).mapToLong(k -> Heap.loadPointer(table, 8L * k)).toArray();
            // Nodes of one size class fill a fresh span in address order, so address order is allocation order.
            Integer[] byAddress = IntStream.range(0, 16).boxed().toArray(Integer[]::new);
            Arrays.sort(byAddress, Comparator.comparingLong(k -> node[k]));
            assertThat(byAddress).containsExactly(Arrays.stream(GO_ORDER_OF_16).boxed().toArray(Integer[]::new));
        });
    }

    @Test
    void everySlotHoldsItsNodeLinkedAsTheChurnsTreesAndSurvivesCollections() {
        int n = 1_000; // not a multiple of the group: the last group is short
        GoRuntime.run(() -> {
            long table = Heap.loadPointer(ForcedGcBench.scatteredTable(n, ForcedGcBench.SEED), 0);
            Go.gc();
            Go.gc();
            assertChurnTrees(table, n);
        });
    }

    /** Every slot of the churn's table of {@code n} slots holds a node with its key, linked as the churn's trees. */
    static void assertChurnTrees(long table, int n) {
        for (int k = 0; k < n; k++) {
            long nd = Heap.loadPointer(table, 8L * k);
            assertThat(Heap.loadLong(nd, LiveHeapChurn.KEY)).as("key of slot %d", k).isEqualTo(k);
            int b = Churn.groupStart(k);
            int end = Churn.groupEnd(b, n);
            int l = Churn.leftChild(b, k);
            long left = l < end ? Heap.loadPointer(table, 8L * l) : 0;
            long right = l + 1 < end ? Heap.loadPointer(table, 8L * (l + 1)) : 0;
            assertThat(Heap.loadPointer(nd, LiveHeapChurn.LEFT)).as("left child of slot %d", k).isEqualTo(left);
            assertThat(Heap.loadPointer(nd, LiveHeapChurn.RIGHT)).as("right child of slot %d", k).isEqualTo(right);
        }
    }
}
