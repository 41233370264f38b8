package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.heap.Heap;
import golab.runtime.heap.Span;
import golab.runtime.heap.Type;
import golab.runtime.sched.G;
import golab.runtime.sched.Park;
import golab.runtime.sched.WaitReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of an assist's marking, Go's gcDrainN: grey objects first, root jobs only when no grey object is left
 * to take. (A background worker's gcDrain does the roots first.) An assist that began with the roots would scan
 * other goroutines' stacks, waiting for each to reach a safepoint, while the allocation it pays for waits.
 */
class AssistDrainTest {

    private static final Type LINK = Type.builder("link").pointer("next").scalar("pad", 8).build();
    private static final long NEXT = LINK.offset("next");

    @Test
    void anAssistScansGreyObjectsBeforeItTakesARootJob() {
        boolean[] marked = new boolean[4]; // global after the small drain, global after the large one, b, c
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1).withGogc("off"), () -> {
            Collector gc = Park.sched().gc;
            Marker marker = gc.marker;
            long global = Heap.global(LINK);
            long a = Heap.alloc(LINK);
            long b = Heap.alloc(LINK);
            long c = Heap.alloc(LINK);
            Heap.storePointer(a, NEXT, b);
            Heap.storePointer(b, NEXT, c);
            Heap.storePointer(global, NEXT, a);

            G self = Park.getg();
            int pid = Park.currentP().id(); // one P: the goroutine stays on it
            // Two chained objects to scan and one root job (the global), as if a cycle had just started.
            var root = Park.sched().heap.globals().stream().filter(g -> g.addr() == global).toList();
            marker.prepareRoots(root, List.of(), List.of());
            marker.shade(a, marker.gcw(pid));
            // An assist gives up when asked to yield: start each drain on a fresh time slice.
            Go.gosched();
            Park.beginMarking(self, WaitReason.GC_ASSIST_MARKING);
            marker.drainN(self, pid, 1); // one unit of work: scanning a covers it
            Park.endMarking(self);
            marked[0] = isMarked(global);
            Go.gosched();
            Park.beginMarking(self, WaitReason.GC_ASSIST_MARKING);
            marker.drainN(self, pid, Long.MAX_VALUE); // b, c, then the root job once nothing grey is left
            Park.endMarking(self);
            marked[1] = isMarked(global);
            marked[2] = isMarked(b);
            marked[3] = isMarked(c);
            marker.dropRoots();
        });
        assertThat(marked[0]).as("the root job taken while grey objects were left").isFalse();
        assertThat(marked[1]).as("the root job taken once none was left").isTrue();
        assertThat(marked[2] && marked[3]).as("the chain scanned").isTrue();
    }

    private static boolean isMarked(long obj) {
        Span s = Park.sched().heap.spanOf(obj);
        return s.isMarked(s.objIndex(obj));
    }
}
