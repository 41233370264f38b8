package golab.runtime.gc;

import golab.runtime.heap.Global;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.Ref;
import golab.runtime.heap.Span;
import golab.runtime.heap.Type;
import golab.runtime.sched.G;
import golab.runtime.sched.GStatus;
import golab.runtime.sched.Sched;
import golab.runtime.sched.Sudog;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The heap verifier of debug mode (in the spirit of Go's gccheckmark): after marking, with the world
 * stopped, walks the object graph again from every root — the globals, every goroutine's frames, the Refs
 * in channels and pools — and
 * checks that each object it reaches is marked. An unmarked reachable object means a missing write barrier
 * or root: it would be freed by the sweep while still in use, so the run fails here instead, naming the
 * object and the root it hangs from.
 */
final class Verifier {

    private Verifier() {
    }

    /** Checks the marking of {@code heap}; throws {@link IllegalStateException} on the first unmarked reachable object. */
    static void verify(MHeap heap, Sched sched, List<RootHolder> holders) {
        Set<Long> seen = new HashSet<>();
        ArrayDeque<long[]> todo = new ArrayDeque<>(); // {object address, root id}
        for (Global g : heap.globals()) {
            visit(heap, g.addr(), "global of type " + g.type(), seen, todo);
        }
        for (G gp : sched.allGoroutines()) {
            if (gp.status() == GStatus.DEAD) {
                continue;
            }
            String root = "a frame of goroutine " + gp.goid();
            gp.stack().scanFrames(p -> visit(heap, p, root, seen, todo));
            if (gp.param instanceof Sudog sg && sg.elem instanceof Ref r) {
                visit(heap, r.addr(), "the sudog handed to goroutine " + gp.goid(), seen, todo);
            }
        }
        for (RootHolder h : holders) {
            h.scanRoots(p -> visit(heap, p, "a Ref held by " + h, seen, todo));
        }
        while (!todo.isEmpty()) {
            long obj = todo.poll()[0];
            Span s = heap.spanOf(obj);
            int idx = s.objIndex(obj);
            Type t = s.typeOf(idx);
            if (t == null || s.noscan()) {
                continue;
            }
            long n = s.lenOf(idx);
            for (long e = 0; e < n; e++) {
                for (int i = 0; i < t.pointerWordCount(); i++) {
                    long p = heap.arena().getLong(obj + e * t.size() + 8L * t.pointerWord(i));
                    visit(heap, p, "object 0x" + Long.toHexString(obj) + " of type " + t, seen, todo);
                }
            }
        }
    }

    private static void visit(MHeap heap, long p, String from, Set<Long> seen, ArrayDeque<long[]> todo) {
        Span s = heap.spanOf(p);
        if (p == 0 || s == null || p >= s.limit()) {
            return;
        }
        int idx = s.objIndex(p);
        long base = s.base() + idx * s.elemsize();
        if (!seen.add(base)) {
            return;
        }
        if (!s.isMarked(idx)) {
            throw new IllegalStateException("gc verifier: object 0x" + Long.toHexString(base) + " of type "
                    + s.typeOf(idx) + " in " + s + " is reachable from " + from
                    + " but not marked: a write barrier or a root was missed");
        }
        todo.add(new long[] {base});
    }
}
