package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoRuntime;
import golab.runtime.metrics.MetricValue;
import golab.runtime.metrics.RuntimeMetrics;
import golab.runtime.sched.Park;
import golab.runtime.sync.WaitGroup;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The workloads' API ({@link Heap}) inside a run: goroutines on two Ps allocate and link objects with their
 * Ps' mcaches; globals; the heap's runtime/metrics against {@link HeapStats}; running out of arena.
 */
@Timeout(60)
class HeapRunTest {

    static final Type NODE = HeapAccessTest.NODE;
    static final long LEFT = HeapAccessTest.LEFT;
    static final long KEY = HeapAccessTest.KEY;

    private static final String[] HEAP_METRICS = {"/gc/heap/allocs:bytes", "/gc/heap/allocs:objects",
        "/gc/heap/tiny/allocs:objects", "/memory/classes/heap/objects:bytes", "/memory/classes/heap/free:bytes",
        "/memory/classes/heap/released:bytes", "/memory/classes/heap/unused:bytes", "/memory/classes/total:bytes"};

    private static long u64(RuntimeMetrics m, String name) {
        return ((MetricValue.Uint64) m.read(name)).value();
    }

    @Test
    void goroutinesOnTwoPsBuildListsWithTheirOwnMcaches() {
        int workers = 8;
        int length = 5_000;
        ConcurrentHashMap<Integer, Boolean> ps = new ConcurrentHashMap<>();
        AtomicReference<Long> heads = new AtomicReference<>();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            long roots = Heap.global(Type.builder("roots").scalar("pad", 8).build());
            long table = Heap.allocArray(Type.POINTER, workers);
            WaitGroup wg = new WaitGroup();
            wg.add(workers);
            for (int w = 0; w < workers; w++) {
                int id = w;
                Go.go(() -> {
                    long head = 0;
                    for (int i = 0; i < length; i++) {
                        ps.put(Park.procId(), true);
                        long n = Heap.alloc(NODE);
                        Heap.storeLong(n, KEY, (long) id * length + i);
                        Heap.storePointer(n, LEFT, head);
                        long name = Heap.allocBytes(1 + i % 20); // tiny and small noscan objects too
                        Heap.storeByte(name, 0, (byte) id);
                        head = n;
                        if (i % 100 == 0) {
                            Go.gosched();
                        }
                    }
                    Heap.storePointer(table, 8L * id, head);
                    wg.done();
                });
            }
            wg.await();
            for (int w = 0; w < workers; w++) {
                long n = Heap.loadPointer(table, 8L * w);
                for (int i = length - 1; i >= 0; i--) {
                    assertThat(Heap.loadLong(n, KEY)).isEqualTo((long) w * length + i);
                    n = Heap.loadPointer(n, LEFT);
                }
                assertThat(n).isZero();
            }
            assertThat(Park.sched().heap.globals()).hasSize(1).first().extracting(Global::addr).isEqualTo(roots);
            heads.set(table);
        });
        assertThat(ps.keySet()).as("allocation happened on both Ps").containsExactlyInAnyOrder(0, 1);
        assertThat(heads.get()).isNotZero();
    }

    @Test
    void heapMetricsMatchHeapStatsInARun() {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            for (int w = 0; w < 2; w++) {
                Go.go(() -> {
                    for (int i = 0; i < 3000; i++) {
                        Heap.alloc(NODE);
                        Heap.allocBytes(i % 2 == 0 ? 4 : 100);
                    }
                    Heap.allocBytes(100_000);
                    Park.mcache().releaseAll(); // flush this P's counts, as a GC would
                    wg.done();
                });
            }
            wg.await();
            MHeap heap = Park.sched().heap;
            RuntimeMetrics m = Park.sched().metrics();
            HeapStats st = heap.stats();
            assertThat(m.all().stream().map(d -> d.name()).toList()).contains(HEAP_METRICS);
            assertThat(u64(m, "/gc/heap/allocs:bytes")).isEqualTo(st.allocsBytes()).isGreaterThan(2 * 100_000);
            assertThat(u64(m, "/gc/heap/allocs:objects")).isEqualTo(st.allocsObjects());
            assertThat(u64(m, "/gc/heap/tiny/allocs:objects")).isEqualTo(st.tinyAllocsObjects()).isPositive();
            assertThat(u64(m, "/memory/classes/heap/objects:bytes")).isEqualTo(st.objectsBytes());
            long stacks = u64(m, "/memory/classes/heap/stacks:bytes");
            long sum = u64(m, "/memory/classes/heap/objects:bytes") + u64(m, "/memory/classes/heap/unused:bytes")
                    + stacks + u64(m, "/memory/classes/heap/free:bytes") + u64(m, "/memory/classes/heap/released:bytes");
            assertThat(sum).isEqualTo(u64(m, "/memory/classes/total:bytes")).isEqualTo(heap.mappedBytes());
        });
    }

    @Test
    void exactMetricValuesForAKnownAllocationSequence() {
        try (MHeap heap = new MHeap(64L << 20)) {
            RuntimeMetrics m = new RuntimeMetrics();
            HeapMetrics.register(m, heap, () -> 0);
            MCache c = heap.newMCache();
            for (int i = 0; i < 100; i++) {
                Malloc.mallocgc(c, NODE, 1); // class 3, 24 B
            }
            for (int i = 0; i < 10; i++) {
                Malloc.mallocgc(c, Type.BYTE, 4); // 4 per tiny block: 3 blocks, 7 packed
            }
            Malloc.mallocgc(c, Type.BYTE, 40_000); // 5 pages
            assertThat(u64(m, "/gc/heap/allocs:objects")).as("only the large object is counted at once").isEqualTo(1);
            c.releaseAll();
            long objectsBytes = 100 * 24 + 3 * 16 + 40_960;
            assertThat(u64(m, "/gc/heap/allocs:bytes")).isEqualTo(objectsBytes);
            assertThat(u64(m, "/gc/heap/allocs:objects")).isEqualTo(104);
            assertThat(u64(m, "/gc/heap/tiny/allocs:objects")).isEqualTo(7);
            assertThat(u64(m, "/memory/classes/heap/objects:bytes")).isEqualTo(objectsBytes);
            assertThat(u64(m, "/memory/classes/heap/unused:bytes")).isEqualTo(7 * 8192 - objectsBytes);
            assertThat(u64(m, "/memory/classes/heap/free:bytes") + u64(m, "/memory/classes/heap/released:bytes"))
                    .as("fresh pages count as released until first used, as in Go")
                    .isEqualTo(heap.mappedBytes() - 7 * 8192);
            assertThat(u64(m, "/memory/classes/total:bytes")).isEqualTo(4L << 20);
            heap.freeSpan(heap.spanOf(heap.findObject(heap.arena().base() + 2 * 8192).base()));
            assertThat(u64(m, "/memory/classes/heap/objects:bytes")).isEqualTo(objectsBytes - 40_960);
            assertThat(u64(m, "/memory/classes/heap/unused:bytes")).isEqualTo(2 * 8192 - objectsBytes + 40_960);
        }
    }

    @Test
    void aRequestBeyondTheArenaIsGosOutOfMemoryFatalError() {
        assertThatThrownBy(() -> GoRuntime.run(GoConfig.defaults().withGomaxprocs(1).withArenaBytes(8L << 20),
                () -> Heap.allocBytes(16L << 20)))
                .isInstanceOfSatisfying(GoFatalError.class, e -> {
                    assertThat(e.fatalMessage()).isEqualTo("out of memory");
                    assertThat(e.report()).startsWith("fatal error: out of memory\n\n"
                            + "runtime: out of memory: cannot allocate 16777216-byte block")
                            .contains("goroutine 1 [running]:")
                            .contains("golab.runtime.heap.Heap.allocBytes");
                });
    }

    @Test
    void negativeCountsThrowInAGoroutine() {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1), () -> {
            assertThatThrownBy(() -> Heap.allocArray(NODE, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("allocation of a negative count -1 of node");
            assertThatThrownBy(() -> Heap.allocBytes(-5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("allocation of a negative count -5 of byte");
            assertThat(Heap.allocBytes(0)).isEqualTo(Park.sched().heap.zerobase());
        });
    }
}
