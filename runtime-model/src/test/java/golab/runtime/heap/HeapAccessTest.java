package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.RuntimePanic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Typed allocation ({@link Malloc#mallocgc(MCache, Type, long)}), the per-span type side table read through
 * {@link MHeap#findObject}, checked loads and stores ({@link HeapAccess}) with the write barrier, globals, bad
 * input and debug mode, on a heap of its own (no run needed).
 */
class HeapAccessTest {

    static final Type NODE = Type.builder("node").pointer("left").pointer("right").scalar("key", 8).build();
    static final Type REC = Type.builder("rec").scalar("count", 4).scalar("flag", 1).pointer("next").build();
    static final long LEFT = NODE.offset("left");
    static final long RIGHT = NODE.offset("right");
    static final long KEY = NODE.offset("key");

    private final MHeap heap = new MHeap(64L << 20);
    private final MCache c = heap.newMCache();
    private final HeapAccess a = heap.access();

    @AfterEach
    void close() {
        heap.close();
    }

    private static String hex(long addr) {
        return "0x" + Long.toHexString(addr);
    }

    @Test
    void roundTripsOfEveryKind() {
        long n = Malloc.mallocgc(c, NODE, 1);
        long m = Malloc.mallocgc(c, NODE, 1);
        assertThat(a.loadPointer(n, LEFT)).as("fresh objects are zero").isZero();
        a.storeLong(n, KEY, -42);
        a.storePointer(n, LEFT, m);
        a.storePointer(n, RIGHT, n);
        assertThat(a.loadLong(n, KEY)).isEqualTo(-42);
        assertThat(a.loadPointer(n, LEFT)).isEqualTo(m);
        assertThat(a.loadPointer(n, RIGHT)).isEqualTo(n);
        assertThat(a.loadPointer(m, LEFT)).isZero();

        long r = Malloc.mallocgc(c, REC, 1);
        a.storeInt(r, REC.offset("count"), 0x12345678);
        a.storeByte(r, REC.offset("flag"), (byte) -7);
        a.storePointer(r, REC.offset("next"), n);
        assertThat(a.loadInt(r, REC.offset("count"))).isEqualTo(0x12345678);
        assertThat(a.loadByte(r, REC.offset("flag"))).isEqualTo((byte) -7);
        assertThat(a.loadPointer(r, REC.offset("next"))).isEqualTo(n);

        long bytes = Malloc.mallocgc(c, Type.BYTE, 100);
        for (int i = 0; i < 100; i++) {
            a.storeByte(bytes, i, (byte) i);
        }
        a.storeLong(bytes, 8, 77); // raw bytes take any aligned scalar access
        assertThat(a.loadByte(bytes, 99)).isEqualTo((byte) 99);
        assertThat(a.loadLong(bytes, 8)).isEqualTo(77);

        long arr = Malloc.mallocgc(c, NODE, 5);
        for (int i = 0; i < 5; i++) {
            a.storeLong(arr, i * NODE.size() + KEY, i);
            a.storePointer(arr, i * NODE.size() + LEFT, i == 0 ? 0 : arr + (i - 1) * NODE.size());
        }
        long e4 = arr + 4 * NODE.size();
        assertThat(a.loadLong(e4, KEY)).as("access through an interior pointer").isEqualTo(4);
        assertThat(a.loadPointer(a.loadPointer(e4, LEFT), LEFT)).isEqualTo(arr + 2 * NODE.size());

        long tiny = Malloc.mallocgc(c, Type.BYTE, 3);
        a.storeByte(tiny, 2, (byte) 5);
        assertThat(a.loadByte(tiny, 2)).isEqualTo((byte) 5);

        long big = Malloc.mallocgc(c, Type.POINTER, 10_000); // 80000 B: a large span
        a.storePointer(big, 8 * 9_999, n);
        assertThat(a.loadPointer(big, 8 * 9_999)).isEqualTo(n);
    }

    @Test
    void findObjectReportsTypeAndPointerMap() {
        long n = Malloc.mallocgc(c, NODE, 1);
        HeapObject o = heap.findObject(n + 17);
        assertThat(o.base()).isEqualTo(n);
        assertThat(o.type()).isSameAs(NODE);
        assertThat(o.count()).isEqualTo(1);
        assertThat(o.dataSize()).isEqualTo(24);
        assertThat(o.slotSize()).isEqualTo(24);
        assertThat(o.allocated()).isTrue();
        assertThat(o.isPointer(n)).isTrue();
        assertThat(o.isPointer(n + 8)).isTrue();
        assertThat(o.isPointer(n + 16)).isFalse();

        long arr = Malloc.mallocgc(c, NODE, 3); // 72 B in the 80 B class
        HeapObject ao = heap.findObject(arr + 50);
        assertThat(ao.base()).isEqualTo(arr);
        assertThat(ao.describe()).isEqualTo("[3]node");
        assertThat(ao.slotSize()).isEqualTo(80);
        List<Integer> words = new ArrayList<>();
        for (int w = 0; w < 10; w++) {
            if (ao.isPointer(arr + 8L * w)) {
                words.add(w);
            }
        }
        assertThat(words).as("the element's map repeated, nothing in the slot's tail").containsExactly(0, 1, 3, 4, 6, 7);

        long big = Malloc.mallocgc(c, REC, 3000); // 48000 B: large
        HeapObject bo = heap.findObject(big + 40_000);
        assertThat(bo.base()).isEqualTo(big);
        assertThat(bo.type()).isSameAs(REC);
        assertThat(bo.count()).isEqualTo(3000);
        assertThat(bo.isPointer(big + 16 * 2999 + 8)).isTrue();
        assertThat(bo.isPointer(big + 16 * 2999)).isFalse();

        long raw = Malloc.mallocgc(c, 40, false);
        assertThat(heap.findObject(raw).type()).as("untyped").isNull();
        assertThat(heap.findObject(raw).isPointer(raw)).isFalse();
        assertThat(heap.findObject(heap.zerobase())).isNull();
        assertThat(heap.findObject(Type.class.hashCode())).isNull();
    }

    @Test
    void writeBarrierSeesSlotOldAndNew() {
        List<long[]> calls = new ArrayList<>();
        heap.setWriteBarrier((slot, old, ptr) -> calls.add(new long[] {slot, old, ptr}));
        long n = Malloc.mallocgc(c, NODE, 1);
        long m = Malloc.mallocgc(c, NODE, 1);
        a.storePointer(n, RIGHT, m);
        a.storePointer(n, RIGHT, 0);
        a.storeLong(n, KEY, 1);
        assertThat(calls).containsExactly(new long[] {n + RIGHT, 0, m}, new long[] {n + RIGHT, m, 0});
        heap.setWriteBarrier(WriteBarrier.NONE);
        assertThat(heap.writeBarrier()).isSameAs(WriteBarrier.NONE);
    }

    @Test
    void globalsAreListedAsRoots() {
        long g1 = heap.newGlobal(c, NODE);
        long g2 = heap.newGlobal(c, REC);
        assertThat(heap.globals()).containsExactly(new Global(g1, NODE), new Global(g2, REC));
        a.storePointer(g1, LEFT, g2);
        assertThat(a.loadPointer(g1, LEFT)).isEqualTo(g2);
    }

    @Test
    void zeroSizeAllocationsShareTheZerobase() {
        Type empty = Type.builder("struct{}").build();
        assertThat(Malloc.mallocgc(c, empty, 1)).isEqualTo(heap.zerobase());
        assertThat(Malloc.mallocgc(c, NODE, 0)).isEqualTo(heap.zerobase());
        assertThat(Malloc.mallocgc(c, Type.BYTE, 0)).isEqualTo(heap.zerobase());
        assertThat(Malloc.mallocgc(c, empty, 1_000_000)).isEqualTo(heap.zerobase());
        long z = heap.zerobase();
        assertThatThrownBy(() -> a.loadLong(z, 0)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadLong at " + hex(z) + ": 8-byte scalar at offset 0 of a zero-size object (the zerobase): "
                        + "it has no bytes");
    }

    @Test
    void negativeCountsAndHugeRequestsAreRefused() {
        assertThatThrownBy(() -> Malloc.mallocgc(c, NODE, -3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allocation of a negative count -3 of node");
        assertThatThrownBy(() -> Malloc.mallocgc(c, -1, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mallocgc of negative size -1");
        assertThatThrownBy(() -> Malloc.mallocgc(c, Type.BYTE, 100L << 20))
                .isInstanceOf(ArenaExhaustedException.class)
                .hasMessage("runtime: out of memory: cannot allocate 104857600-byte block: the heap arena has "
                        + "67108864 of its 67108864 reserved bytes available (raise the arena maximum)");
        assertThatThrownBy(() -> Malloc.mallocgc(c, NODE, Long.MAX_VALUE / 8))
                .isInstanceOf(ArenaExhaustedException.class)
                .hasMessageContaining("cannot allocate " + Long.MAX_VALUE + "-byte block");
    }

    @Test
    void pointerAndScalarSlotsAreNotInterchangeable() {
        long n = Malloc.mallocgc(c, NODE, 1);
        long m = Malloc.mallocgc(c, NODE, 1);
        assertThatThrownBy(() -> a.storePointer(n, KEY, m)).isInstanceOf(BadAccessException.class)
                .hasMessage("storePointer at " + hex(n + 16) + ": offset 16 of the node object at " + hex(n)
                        + " is field key (8-byte scalar), not a pointer slot");
        assertThatThrownBy(() -> a.storeLong(n, RIGHT, 1)).isInstanceOf(BadAccessException.class)
                .hasMessage("storeLong at " + hex(n + 8) + ": offset 8 of the node object at " + hex(n)
                        + " is field right (pointer): use loadPointer/storePointer for pointer slots");
        assertThatThrownBy(() -> a.storeInt(n, 4, 1)).as("half a pointer").isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is field left (pointer)");
        long arr = Malloc.mallocgc(c, NODE, 4);
        assertThatThrownBy(() -> a.loadPointer(arr, 2 * 24 + 16)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadPointer at " + hex(arr + 64) + ": offset 64 of the [4]node object at " + hex(arr)
                        + " is element 2 field key (8-byte scalar), not a pointer slot");
        long recs = Malloc.mallocgc(c, REC, 8); // a 16-byte element: the slot found by masking, not dividing
        a.storePointer(recs, 5 * 16 + 8, n);
        assertThatThrownBy(() -> a.storePointer(recs, 5 * 16, n)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is element 5 field count (4-byte scalar), not a pointer slot");
        assertThatThrownBy(() -> a.storeLong(recs, 7 * 16 + 8, 1)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is element 7 field next (pointer): use loadPointer/storePointer");
        long r = Malloc.mallocgc(c, REC, 1);
        assertThatThrownBy(() -> a.storePointer(r, 0, n)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is field count (4-byte scalar), not a pointer slot");
        assertThatThrownBy(() -> a.loadInt(r, 5)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadInt at " + hex(r + 5) + ": misaligned 4-byte access at offset 5 of the rec object at "
                        + hex(r));
        long bytes = Malloc.mallocgc(c, Type.BYTE, 64);
        assertThatThrownBy(() -> a.storePointer(bytes, 8, n)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is element 8 field byte (1-byte scalar), not a pointer slot");
        long raw = Malloc.mallocgc(c, 64, false);
        assertThatThrownBy(() -> a.storePointer(raw, 0, n)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("the untyped 64-byte block object at " + hex(raw)
                        + " is byte 0 (untyped memory has no pointer slots), not a pointer slot");
    }

    @Test
    void offsetsOutsideTheObjectAreRefused() {
        long n = Malloc.mallocgc(c, NODE, 1);
        assertThatThrownBy(() -> a.loadLong(n, 24)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadLong at " + hex(n + 24) + ": offset 24 (8 bytes) from " + hex(n)
                        + " is outside the node object at " + hex(n) + " (24 bytes)");
        assertThatThrownBy(() -> a.loadByte(n, -1)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("offset -1 (1 bytes)");
        assertThatThrownBy(() -> a.loadLong(n + 16, 8)).as("from an interior pointer")
                .isInstanceOf(BadAccessException.class).hasMessageContaining("is outside the node object");
        long arr = Malloc.mallocgc(c, NODE, 3); // 72 bytes of data in an 80-byte slot
        assertThatThrownBy(() -> a.loadLong(arr, 72)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is outside the [3]node object at " + hex(arr) + " (72 bytes)");
        long bytes = Malloc.mallocgc(c, Type.BYTE, 20);
        assertThatThrownBy(() -> a.loadLong(bytes, 16)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is outside the [20]byte object");
    }

    @Test
    void nilForeignAndUnusedAddressesAreRefused() {
        assertThatThrownBy(() -> a.loadLong(0, 8)).isInstanceOf(RuntimePanic.class)
                .hasMessage("runtime error: invalid memory address or nil pointer dereference");
        long foreign = java.lang.foreign.Arena.global().allocate(64, 8).address();
        assertThatThrownBy(() -> a.loadPointer(foreign, 0)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadPointer at " + hex(foreign) + ": pointer at offset 0: " + hex(foreign)
                        + " is not a heap address (foreign memory)");
        long unused = heap.arena().base() + (32L << 20);
        assertThatThrownBy(() -> a.storeLong(unused, 8, 1)).isInstanceOf(BadAccessException.class)
                .hasMessage("storeLong at " + hex(unused + 8) + ": 8-byte scalar at offset 8: " + hex(unused)
                        + " is in the heap arena but in no allocated object (freed or never allocated)");
    }

    @Test
    void debugModeCatchesUseAfterFree() {
        heap.debug(true);
        long big = Malloc.mallocgc(c, NODE, 2000); // 48000 B: a span of its own
        long n = Malloc.mallocgc(c, NODE, 1);
        a.storePointer(n, LEFT, big);
        Span s = heap.spanOf(big);
        heap.freeSpan(s);
        assertThat(heap.arena().getLong(big + 24 * 7)).as("freed memory is poisoned").isEqualTo(MHeap.POISON);
        assertThatThrownBy(() -> a.loadPointer(big, 24 * 7 + 8)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadPointer at " + hex(big + 176) + ": use after free: the [2000]node object at "
                        + hex(big) + " was freed with its " + s + "; expected element 7 field right (pointer)");
        assertThatThrownBy(() -> a.loadPointer(n, LEFT)).as("a pointer to the freed object")
                .isInstanceOf(BadAccessException.class)
                .hasMessage("loadPointer at " + hex(n) + ": pointer " + hex(big) + " points to freed " + s
                        + " (Go: found bad pointer in Go heap)");
        assertThatThrownBy(() -> a.storePointer(n, RIGHT, big + 24)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("storePointer at " + hex(n + 8) + ": pointer " + hex(big + 24)
                        + " points to freed");

        long again = Malloc.mallocgc(c, Type.BYTE, 48_000);
        assertThat(again).as("the pages are reused").isEqualTo(big);
        assertThat(heap.arena().getLong(big + 24 * 7)).as("and zeroed").isZero();
        assertThat(a.loadLong(again, 24 * 7)).isZero();
    }

    @Test
    void debugModeCatchesFreeSlotsAndPoison() {
        long n = Malloc.mallocgc(c, NODE, 1);
        long next = n + 24; // the next slot of the span, not allocated yet
        assertThat(a.loadLong(next, KEY)).as("without debug, only the span is checked").isZero();
        heap.debug(true);
        Span s = heap.spanOf(n);
        assertThatThrownBy(() -> a.loadLong(next, 0)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadLong at " + hex(next) + ": slot 1 of " + s
                        + " is free: the object there was freed or never allocated");
        heap.arena().putLong(n + LEFT, MHeap.POISON);
        assertThatThrownBy(() -> a.loadPointer(n, LEFT)).isInstanceOf(BadAccessException.class)
                .hasMessage("loadPointer at " + hex(n) + ": the pointer slot holds the poison pattern 0xdeadbeefdeadbeef:"
                        + " the object holding it was freed");
        assertThatThrownBy(() -> a.storePointer(n, RIGHT, next)).isInstanceOf(BadAccessException.class)
                .hasMessage("storePointer at " + hex(n + 8) + ": pointer " + hex(next) + " points to free slot 1 of "
                        + s + " (Go: found bad pointer in Go heap)");
    }

    @Test
    void withoutDebugAFreedSpanIsStillNoObject() {
        long big = Malloc.mallocgc(c, NODE, 2000);
        heap.freeSpan(heap.spanOf(big));
        assertThat(heap.arena().getLong(big)).as("no poisoning").isZero();
        assertThatThrownBy(() -> a.loadLong(big, 16)).isInstanceOf(BadAccessException.class)
                .hasMessageContaining("is in the heap arena but in no allocated object");
    }
}
