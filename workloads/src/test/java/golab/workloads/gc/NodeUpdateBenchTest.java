package golab.workloads.gc;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.GoRuntime;
import golab.runtime.heap.Heap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node update: a churn replacement that puts a slot's own node back leaves the heap's shape as it was. */
@Timeout(60)
class NodeUpdateBenchTest {

    @Test
    void puttingNodesBackKeepsEverySlotsNodeAndTheTreesAndStoresTheValue() {
        int n = 1_000;
        GoRuntime.run(() -> {
            long table = Heap.loadPointer(ForcedGcBench.scatteredTable(n, ForcedGcBench.SEED), 0);
            long[] before = IntStream.range(0, n).mapToLong(k -> Heap.loadPointer(table, 8L * k)).toArray();
            long[] lastValue = new long[n];
            long[] rand = {NodeUpdateBench.SEED};
            for (int i = 1; i <= 10 * n; i++) {
                int k = Churn.below(rand, n);
                LiveHeapChurn.install(table, n, k, Heap.loadPointer(table, 8L * k), i);
                lastValue[k] = i;
            }
            for (int k = 0; k < n; k++) {
                assertThat(Heap.loadPointer(table, 8L * k)).as("node of slot %d", k).isEqualTo(before[k]);
                assertThat(Heap.loadLong(before[k], LiveHeapChurn.VAL)).as("value of slot %d", k).isEqualTo(lastValue[k]);
            }
            ForcedGcBenchTest.assertChurnTrees(table, n);
        });
    }
}
