package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StackAlloc} alone: small stacks are cut from 32 KiB pool spans that go back to the heap when
 * entirely free, a P's cache refills to 16 KiB and releases at 32 KiB, large stacks get spans of their own,
 * and /memory/classes/heap/stacks:bytes follows the spans held.
 */
@Timeout(60)
class StackAllocTest {

    private static final int KB = 1024;

    @Test
    void smallStacksAreCutFromPoolSpansThatGoBackWhenFree() {
        try (MHeap heap = new MHeap(64L << 20)) {
            StackAlloc stacks = new StackAlloc(heap);
            List<Long> los = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                los.add(stacks.stackalloc(null, 2 * KB));
            }
            assertThat(stacks.inUseBytes()).as("16 stacks of 2 KiB: one span").isEqualTo(32 * KB);
            long base = los.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(los).allSatisfy(lo -> assertThat(lo - base).isBetween(0L, 30L * KB).isEqualTo((lo - base) / (2 * KB) * 2 * KB));
            assertThat(los).doesNotHaveDuplicates();
            assertThat(heap.spanOf(base)).as("manual spans are not heap spans").isNull();
            los.add(stacks.stackalloc(null, 2 * KB));
            assertThat(stacks.inUseBytes()).isEqualTo(64 * KB);
            for (long lo : los) {
                stacks.stackfree(null, lo, 2 * KB);
            }
            assertThat(stacks.inUseBytes()).isZero();
            assertThat(heap.inUseBytes()).isZero();
        }
    }

    @Test
    void cacheRefillsToHalfAndReleasesAtFull() {
        try (MHeap heap = new MHeap(64L << 20)) {
            StackAlloc stacks = new StackAlloc(heap);
            StackCache c = stacks.newCache();
            long first = stacks.stackalloc(c, 4 * KB);
            assertThat(c.size(1)).as("refilled to 16 KiB, one taken").isEqualTo(12 * KB);
            List<Long> held = new ArrayList<>(List.of(first));
            for (int i = 0; i < 3; i++) {
                held.add(stacks.stackalloc(c, 4 * KB));
            }
            assertThat(c.size(1)).isZero();
            assertThat(stacks.inUseBytes()).isEqualTo(32 * KB);
            held.add(stacks.stackalloc(c, 4 * KB)); // refills with the span's other half
            assertThat(stacks.inUseBytes()).isEqualTo(32 * KB);
            for (int i = 0; i < 3; i++) {
                held.add(stacks.stackalloc(c, 4 * KB));
            }
            held.add(stacks.stackalloc(c, 4 * KB)); // refills from a second span
            assertThat(stacks.inUseBytes()).isEqualTo(64 * KB);
            assertThat(c.size(1)).isEqualTo(12 * KB);
            for (long lo : held) {
                stacks.stackfree(c, lo, 4 * KB);
            }
            assertThat(c.size(1)).as("12 KiB + 9 frees of 4 KiB, released to 16 KiB when full").isEqualTo(32 * KB);
            stacks.stackfree(c, stacks.stackalloc(null, 4 * KB), 4 * KB);
            assertThat(c.size(1)).as("a free at 32 KiB releases down to 16 KiB first").isEqualTo(20 * KB);
            stacks.clear(c);
            assertThat(c.size(1)).isZero();
            assertThat(stacks.inUseBytes()).isZero();
        }
    }

    @Test
    void largeStacksHaveSpansOfTheirOwn() {
        try (MHeap heap = new MHeap(64L << 20)) {
            StackAlloc stacks = new StackAlloc(heap);
            StackCache c = stacks.newCache();
            long lo = stacks.stackalloc(c, 64 * KB);
            assertThat(stacks.inUseBytes()).isEqualTo(64 * KB);
            assertThat(heap.inUseBytes()).isEqualTo(64 * KB);
            assertThat(c.size(0) + c.size(1) + c.size(2) + c.size(3)).isZero();
            stacks.stackfree(c, lo, 64 * KB);
            assertThat(stacks.inUseBytes()).isZero();
            assertThat(heap.inUseBytes()).isZero();
        }
    }

    @Test
    void sizesThatAreNotStackSizesAreRejected() {
        try (MHeap heap = new MHeap(64L << 20)) {
            StackAlloc stacks = new StackAlloc(heap);
            assertThatThrownBy(() -> stacks.stackalloc(null, 1024)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stacks.stackalloc(null, 3 * KB)).isInstanceOf(IllegalArgumentException.class);
            long lo = stacks.stackalloc(null, 2 * KB);
            stacks.stackfree(null, lo, 2 * KB);
            long other = stacks.stackalloc(null, 8 * KB);
            assertThatThrownBy(() -> stacks.stackfree(null, other + 2 * KB, 2 * KB))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a stack of 2048 bytes");
        }
    }

    /** Random sizes through two caches and the cacheless path: stacks never overlap, and all memory comes back. */
    @Test
    void randomStacksAreDisjointAndAllComeBack() {
        Random rnd = new Random(42);
        try (MHeap heap = new MHeap(256L << 20)) {
            StackAlloc stacks = new StackAlloc(heap);
            StackCache[] caches = {stacks.newCache(), stacks.newCache(), null};
            TreeMap<Long, Long> live = new TreeMap<>();
            for (int step = 0; step < 20_000; step++) {
                StackCache c = caches[rnd.nextInt(caches.length)];
                if (live.isEmpty() || rnd.nextInt(100) < 55) {
                    long n = (long) StackAlloc.FIXED_STACK << rnd.nextInt(7);
                    long lo = stacks.stackalloc(c, n);
                    var below = live.floorEntry(lo);
                    var above = live.ceilingEntry(lo);
                    assertThat(below == null || below.getKey() + below.getValue() <= lo).isTrue();
                    assertThat(above == null || lo + n <= above.getKey()).isTrue();
                    heap.arena().putLong(lo, lo);
                    heap.arena().putLong(lo + n - 8, n);
                    live.put(lo, n);
                } else {
                    long lo = live.keySet().stream().skip(rnd.nextInt(live.size())).findFirst().orElseThrow();
                    long n = live.remove(lo);
                    assertThat(heap.arena().getLong(lo)).isEqualTo(lo);
                    assertThat(heap.arena().getLong(lo + n - 8)).isEqualTo(n);
                    stacks.stackfree(c, lo, n);
                }
                long liveBytes = live.values().stream().mapToLong(Long::longValue).sum();
                assertThat(stacks.inUseBytes()).isGreaterThanOrEqualTo(liveBytes);
            }
            live.forEach((lo, n) -> stacks.stackfree(null, lo, n));
            stacks.clear(caches[0]);
            stacks.clear(caches[1]);
            assertThat(stacks.inUseBytes()).isZero();
            assertThat(heap.inUseBytes()).isZero();
        }
    }
}
