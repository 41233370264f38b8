package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Span recycling (Go's spanalloc): spans the sweeper frees are handed out again, so however many cycles free
 * and reallocate them, a heap makes no more {@link Span} objects than it once had in use; and a reused span
 * shows nothing of its previous life: slot types and counts, free slots and memory are those of a fresh span.
 */
@Timeout(60)
class SpanReuseTest {

    private static final int PAGE = SizeClasses.PAGE_SIZE;
    /** 64 bytes with pointers. */
    static final Type NODE = Type.builder("node").pointer("left").pointer("right").scalar("key", 8)
            .scalar("pad", 40).build();
    /** 32 bytes with a pointer: [2]edge shares node's size class. */
    static final Type EDGE = Type.builder("edge").pointer("to").scalar("w", 8).scalar("pad", 16).build();

    record Obj(long addr, Type type, long count) {
    }

    @Test
    void spansFreedBySweepingAreReusedAndStartClean() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c = heap.newMCache();
            long made = 0;
            for (int cycle = 0; cycle < 40; cycle++) {
                List<Obj> objs = new ArrayList<>();
                boolean even = cycle % 2 == 0;
                for (int i = 0; i < 1000; i++) {
                    // Odd cycles put [2]edge and node in the same spans (a span with two types).
                    objs.add(even || i % 10 == 0 ? alloc(heap, c, NODE, 1) : alloc(heap, c, EDGE, 2));
                }
                for (int i = 0; i < 5; i++) {
                    objs.add(even ? alloc(heap, c, Type.BYTE, 40_000) : alloc(heap, c, NODE, 600)); // large
                }
                for (int i = 0; i < 300; i++) {
                    objs.add(even ? alloc(heap, c, Type.BYTE, 1024) : alloc(heap, c, Type.INT64, 1)); // 1 KiB; tiny
                }
                for (Obj o : objs) {
                    HeapObject h = heap.findObject(o.addr);
                    assertThat(h.allocated()).isTrue();
                    boolean tiny = o.type.size() * o.count < Malloc.MAX_TINY_SIZE; // in an untyped tiny block
                    assertThat(h.type()).as("cycle %d: type at 0x%x", cycle, o.addr).isEqualTo(tiny ? null : o.type);
                    assertThat(h.count()).isEqualTo(tiny ? 1 : o.count);
                }
                c.releaseAll();
                heap.advanceSweepgen(); // nothing is marked: every object dies
                heap.sweeper().finishSweep();
                assertThat(heap.pagesInUse()).as("every span freed").isZero();
                if (cycle == 1) {
                    made = heap.spanObjects(); // each shape's spans have been in use once
                } else if (cycle > 1) {
                    assertThat(heap.spanObjects()).as("Span objects after cycle %d", cycle).isEqualTo(made);
                }
            }
            assertThat(made).as("spans of one cycle's shape").isGreaterThan(40);
        }
    }

    /** Allocates {@code n} of {@code t}, checks the memory is zero and dirties it for the next cycle. */
    private static Obj alloc(MHeap heap, MCache c, Type t, long n) {
        long addr = Malloc.mallocgc(c, t, n);
        long bytes = t.size() * n;
        for (long off = 0; off + 8 <= bytes; off += 8) {
            if (heap.arena().getLong(addr + off) != 0) {
                throw new AssertionError("dirty word at +" + off + " of a new " + n + " x " + t);
            }
            heap.arena().putLong(addr + off, -1L);
        }
        return new Obj(addr, t, n);
    }

    @Test
    void freeingASpanThatIsNotInUseFails() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c = heap.newMCache();
            Span s = heap.spanOf(Malloc.mallocgc(c, 5 * PAGE, true));
            heap.freeSpan(s);
            assertThatThrownBy(() -> heap.freeSpan(s)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("which is not in use");
        }
    }

    @Test
    void debugModeKeepsAFreedSpanForItsMessagesInsteadOfReusingIt() {
        try (MHeap heap = new MHeap(64L << 20)) {
            heap.debug(true);
            MCache c = heap.newMCache();
            long big = Malloc.mallocgc(c, 5 * PAGE, true);
            Span s = heap.spanOf(big);
            heap.freeSpan(s);
            long again = Malloc.mallocgc(c, 3 * PAGE, true);
            assertThat(again).as("the pages are reused").isEqualTo(big);
            assertThat(heap.spanOf(again)).isNotSameAs(s);
            assertThat(heap.spanObjects()).isEqualTo(2);
            assertThat(s.npages()).as("the freed span keeps its shape").isEqualTo(5);
        }
    }
}
