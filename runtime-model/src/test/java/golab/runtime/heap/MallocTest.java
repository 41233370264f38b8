package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Malloc#mallocgc} through {@link MCache}, {@link MCentral} and {@link MHeap}: every object lies in a
 * span of the right class, aligned as Go aligns it, fresh memory is zero, no two live objects overlap; the
 * tiny allocator packs, large objects get whole pages, a full span is replaced, and the counters match.
 */
@Timeout(120)
class MallocTest {

    private static final int PAGE = SizeClasses.PAGE_SIZE;

    record Obj(long addr, long size, byte tag) {
    }

    @RepeatedTest(20)
    void randomMixedAllocationsAreWellPlacedAndDisjoint(RepetitionInfo rep) {
        Random rnd = new Random(31L * rep.getCurrentRepetition() + 7);
        try (MHeap heap = new MHeap(1L << 30)) {
            MCache[] caches = {heap.newMCache(), heap.newMCache()};
            Arena arena = heap.arena();
            List<Obj> objs = new ArrayList<>();
            Set<Long> tinyBlocks = new HashSet<>();
            long expectedObjects = 0;
            long expectedBytes = 0;
            long nonEmpty = 0;
            for (int i = 0; i < 5000; i++) {
                MCache c = caches[rnd.nextInt(caches.length)];
                if (rnd.nextInt(500) == 0) {
                    c.releaseAll(); // as a GC would: spans go back to mcentral, partial ones get reused
                }
                long size = randomSize(rnd);
                boolean noscan = rnd.nextBoolean();
                long addr = Malloc.mallocgc(c, size, noscan);
                if (size == 0) {
                    assertThat(addr).isEqualTo(heap.zerobase());
                    continue;
                }
                nonEmpty++;
                Span s = heap.spanOf(addr);
                assertThat(s).as("span of object %d (%d B)", i, size).isNotNull();
                assertThat(addr).isGreaterThanOrEqualTo(s.base());
                assertThat(addr + size).isLessThanOrEqualTo(s.limit());
                assertThat(SpanClass.noscan(s.spanclass())).isEqualTo(noscan);
                if (noscan && size < Malloc.MAX_TINY_SIZE) {
                    assertThat(s.spanclass()).isEqualTo(SpanClass.TINY_SPAN_CLASS);
                    long block = s.base() + (long) s.objIndex(addr) * Malloc.MAX_TINY_SIZE;
                    assertThat(addr + size).as("inside its tiny block")
                            .isLessThanOrEqualTo(block + Malloc.MAX_TINY_SIZE);
                    long align = size % 8 == 0 ? 8 : size % 4 == 0 ? 4 : size % 2 == 0 ? 2 : 1;
                    assertThat(addr % align).isZero();
                    if (tinyBlocks.add(block)) {
                        assertThat(addr).as("a new tiny block is used from its start").isEqualTo(block);
                        expectedObjects++;
                        expectedBytes += Malloc.MAX_TINY_SIZE;
                    }
                } else if (size <= Malloc.MAX_SMALL_ALLOC) {
                    assertThat(SpanClass.sizeclass(s.spanclass())).isEqualTo(SizeClasses.sizeToClass(size));
                    assertThat(s.elemsize()).isEqualTo(SizeClasses.roundupsize(size));
                    assertThat((addr - s.base()) % s.elemsize()).isZero();
                    assertThat(addr % 8).isZero();
                    expectedObjects++;
                    expectedBytes += s.elemsize();
                } else {
                    assertThat(SpanClass.sizeclass(s.spanclass())).isZero();
                    assertThat(addr).isEqualTo(s.base());
                    assertThat(s.npages()).isEqualTo(Math.ceilDiv(size, PAGE));
                    expectedObjects++;
                    expectedBytes += (long) s.npages() * PAGE;
                }
                assertThat(arena.getByte(addr)).as("fresh memory is zero").isZero();
                assertThat(arena.getByte(addr + size - 1)).isZero();
                byte tag = (byte) (1 + i % 251);
                arena.putByte(addr, tag);
                arena.putByte(addr + size - 1, tag);
                objs.add(new Obj(addr, size, tag));
            }
            objs.sort(Comparator.comparingLong(Obj::addr));
            for (int k = 0; k < objs.size(); k++) {
                Obj o = objs.get(k);
                if (k > 0) {
                    Obj prev = objs.get(k - 1);
                    assertThat(prev.addr() + prev.size()).as("%s overlaps %s", prev, o).isLessThanOrEqualTo(o.addr());
                }
                assertThat(arena.getByte(o.addr())).isEqualTo(o.tag());
                assertThat(arena.getByte(o.addr() + o.size() - 1)).isEqualTo(o.tag());
            }
            for (MCache c : caches) {
                c.releaseAll();
            }
            HeapStats st = heap.stats();
            assertThat(st.allocsObjects()).isEqualTo(expectedObjects);
            assertThat(st.allocsObjects() + st.tinyAllocsObjects()).isEqualTo(nonEmpty);
            assertThat(st.allocsBytes()).isEqualTo(expectedBytes);
            assertThat(st.objectsBytes()).isEqualTo(expectedBytes);
            assertThat(heap.inUseBytes() + heap.freeBytes() + heap.releasedBytes()).isEqualTo(heap.mappedBytes());
        }
    }

    private static long randomSize(Random rnd) {
        int k = rnd.nextInt(100);
        if (k < 2) {
            return 0;
        } else if (k < 30) {
            return 1 + rnd.nextInt(15);
        } else if (k < 75) {
            return 16 + rnd.nextInt(1024 - 15);
        } else if (k < 96) {
            return 1025 + rnd.nextInt(SizeClasses.MAX_SMALL_SIZE - 1024);
        }
        return Malloc.MAX_SMALL_ALLOC + 1 + rnd.nextInt(300_000);
    }

    @Test
    void tinyAllocationsShareSixteenByteBlocks() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c = heap.newMCache();
            long a = Malloc.mallocgc(c, 8, true);
            long b = Malloc.mallocgc(c, 8, true);
            assertThat(b).as("two 8-byte noscan objects share one block").isEqualTo(a + 8);
            assertThat(a % Malloc.MAX_TINY_SIZE).isZero();
            long scan = Malloc.mallocgc(c, 8, false);
            assertThat(heap.spanOf(scan).spanclass()).as("objects with pointers are never tiny")
                    .isEqualTo(SpanClass.make(1, false));

            long t1 = Malloc.mallocgc(c, 1, true); // new block: offset 1
            long t4 = Malloc.mallocgc(c, 4, true); // aligned to 4
            long t2 = Malloc.mallocgc(c, 2, true); // aligned to 2, offset now 10
            assertThat(t1 % 16).isZero();
            assertThat(t4).isEqualTo(t1 + 4);
            assertThat(t2).isEqualTo(t1 + 8);
            long t8 = Malloc.mallocgc(c, 8, true); // 16 + 8 > 16: new block, which has more room, becomes current
            assertThat(t8).isEqualTo(t1 + 16);
            assertThat(Malloc.mallocgc(c, 8, true)).isEqualTo(t8 + 8);
            long t12 = Malloc.mallocgc(c, 12, true); // full: new block
            assertThat(t12).isEqualTo(t8 + 16);
            assertThat(Malloc.mallocgc(c, 3, true)).isEqualTo(t12 + 12);
            long t15 = Malloc.mallocgc(c, 15, true); // new block, no roomier (1 B left) than the current: kept
            assertThat(t15).isEqualTo(t12 + 16);
            assertThat(Malloc.mallocgc(c, 1, true)).as("the old block still takes 1 byte").isEqualTo(t12 + 15);
            assertThat(Malloc.mallocgc(c, 16, true)).as("16 bytes are not tiny").isNotZero();

            c.releaseAll();
            HeapStats st = heap.stats();
            // blocks: a, t1, t8, t12, t15 (5 x 16 B) + the 8-byte scan object + the 16-byte noscan object
            assertThat(st.allocsObjects()).isEqualTo(7);
            assertThat(st.allocsBytes()).isEqualTo(5 * 16 + 8 + 16);
            // combined into an existing block: b, t4, t2, second 8, the 3, the last 1
            assertThat(st.tinyAllocsObjects()).isEqualTo(6);
        }
    }

    @Test
    void largeObjectsGetWholePagesOfTheirOwn() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c = heap.newMCache();
            long[][] cases = {{32761, 4}, {32768, 4}, {40000, 5}, {(1 << 20) + 1, 129}};
            long pages = 0;
            for (long[] k : cases) {
                long before = heap.inUseBytes();
                long addr = Malloc.mallocgc(c, k[0], k[0] % 2 == 0);
                Span s = heap.spanOf(addr);
                assertThat(s.base()).isEqualTo(addr);
                assertThat(addr % PAGE).isZero();
                assertThat(s.npages()).as("pages for %d bytes", k[0]).isEqualTo(k[1]);
                assertThat(s.elemsize()).isEqualTo(k[1] * PAGE);
                assertThat(SpanClass.sizeclass(s.spanclass())).isZero();
                assertThat(s.allocCount()).isEqualTo(1);
                assertThat(heap.spanOf(addr + k[1] * PAGE - 1)).isSameAs(s);
                assertThat(heap.inUseBytes() - before).isEqualTo(k[1] * PAGE);
                pages += k[1];
            }
            assertThat(heap.stats().allocsBytes()).as("large allocations count at once").isEqualTo(pages * PAGE);
            assertThat(heap.stats().allocsObjects()).isEqualTo(cases.length);
        }
    }

    @Test
    void refillReplacesAFullSpanAndFlushesItsCounts() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c = heap.newMCache();
            int spc = SpanClass.make(1, false);
            long first = Malloc.mallocgc(c, 8, false);
            Span s = heap.spanOf(first);
            assertThat(s.sweepgen).as("cached and swept").isEqualTo(heap.sweepgen + 3);
            for (int i = 1; i < 1024; i++) {
                assertThat(Malloc.mallocgc(c, 8, false)).isEqualTo(first + 8L * i);
            }
            assertThat(s.allocCount()).isEqualTo(s.nelems()).isEqualTo(1024);
            assertThat(heap.stats().allocsObjects()).as("counts lag until the span is given back").isZero();
            long next = Malloc.mallocgc(c, 8, false);
            Span s2 = heap.spanOf(next);
            assertThat(s2).isNotSameAs(s);
            assertThat(c.alloc[spc]).isSameAs(s2);
            assertThat(heap.central(spc).fullSwept(heap.sweepgen)).containsExactly(s);
            assertThat(s.sweepgen).as("uncached: swept").isEqualTo(heap.sweepgen);
            assertThat(heap.stats().allocsObjects()).isEqualTo(1024);
            assertThat(heap.stats().allocsBytes()).isEqualTo(8 * 1024);
        }
    }

    @Test
    void aPartlyUsedSpanGoesBackToMCentralAndIsContinuedByAnotherMCache() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c1 = heap.newMCache();
            MCache c2 = heap.newMCache();
            long a = Malloc.mallocgc(c1, 48, true);
            for (int i = 1; i < 70; i++) {
                Malloc.mallocgc(c1, 48, true);
            }
            c1.releaseAll();
            int spc = SpanClass.make(SizeClasses.sizeToClass(48), true);
            assertThat(heap.central(spc).partialSwept(heap.sweepgen)).containsExactly(heap.spanOf(a));
            assertThat(Malloc.mallocgc(c2, 48, true)).as("past the 64-slot word").isEqualTo(a + 48 * 70);
            assertThat(heap.central(spc).partialSwept(heap.sweepgen)).isEmpty();
            assertThat(heap.stats().allocsObjects()).isEqualTo(70);
        }
    }

    @Test
    void reusedPagesAreZeroedAndFreedLargeObjectsLeaveTheObjectBytes() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c = heap.newMCache();
            Arena arena = heap.arena();
            long big = Malloc.mallocgc(c, 5 * PAGE, true);
            for (long off = 0; off < 5 * PAGE; off += 8) {
                arena.putLong(big + off, -1L);
            }
            assertThat(heap.spanOf(big).needzero).as("fresh pages are known zero").isFalse();
            assertThat(heap.stats().objectsBytes()).isEqualTo(5 * PAGE);
            heap.freeSpan(heap.spanOf(big));
            assertThat(heap.spanOf(big)).isNull();
            assertThat(heap.stats().objectsBytes()).isZero();
            assertThat(heap.stats().allocsBytes()).isEqualTo(5 * PAGE);

            long again = Malloc.mallocgc(c, 4 * PAGE + 1, false);
            assertThat(again).as("lowest fit reuses the freed pages").isEqualTo(big);
            assertThat(heap.spanOf(again).needzero).isTrue();
            for (long off = 0; off < 5 * PAGE; off += 8) {
                if (arena.getLong(again + off) != 0) {
                    throw new AssertionError("dirty word at +" + off);
                }
            }
            heap.freeSpan(heap.spanOf(again));
            long small = Malloc.mallocgc(c, 512, false); // a 1-page span on the dirty pages
            assertThat(small).isEqualTo(big);
            arena.putLong(big + 4 * PAGE, -1L);
            long other = Malloc.mallocgc(c, 4096, true); // class 44: 1 page, lands on dirty page 1
            assertThat(other).isEqualTo(big + PAGE);
            assertThat(arena.getLong(other)).isZero();
            assertThatThrownBy(() -> heap.freeSpan(heap.spanOf(small))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("live objects");
        }
    }

    @Test
    void zeroSizedAllocationsShareZerobaseAndHugeOnesFailClearly() {
        try (MHeap heap = new MHeap(8L << 20)) {
            MCache c = heap.newMCache();
            long z = Malloc.mallocgc(c, 0, true);
            assertThat(Malloc.mallocgc(c, 0, false)).isEqualTo(z).isEqualTo(heap.zerobase());
            assertThat(heap.arena().contains(z, 1)).isFalse();
            assertThat(heap.stats().allocsObjects()).isZero();
            assertThatThrownBy(() -> Malloc.mallocgc(c, 16L << 20, true)).isInstanceOf(ArenaExhaustedException.class)
                    .hasMessageContaining("cannot allocate 16777216-byte block");
            Malloc.mallocgc(c, 8, true); // the heap grows by one 4 MiB chunk
            assertThatThrownBy(() -> Malloc.mallocgc(c, 6L << 20, true)).isInstanceOf(ArenaExhaustedException.class)
                    .hasMessageContaining("cannot allocate 6291456-byte block: the heap arena has 4194304 of its "
                            + "8388608 reserved bytes available");
            assertThatThrownBy(() -> Malloc.mallocgc(c, -1, true)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void scavengingReleasesFreedSpansPages() {
        try (MHeap heap = new MHeap(64L << 20)) {
            MCache c = heap.newMCache();
            long a = Malloc.mallocgc(c, 100 * PAGE, true);
            Malloc.mallocgc(c, PAGE, true);
            heap.freeSpan(heap.spanOf(a));
            long released = heap.releasedBytes();
            assertThat(heap.freeBytes()).isEqualTo(100L * PAGE);
            assertThat(heap.scavenge(40L * PAGE)).isEqualTo(40L * PAGE);
            assertThat(heap.releasedBytes() - released).isEqualTo(40L * PAGE);
            assertThat(heap.freeBytes()).isEqualTo(60L * PAGE);
            assertThat(heap.inUseBytes() + heap.freeBytes() + heap.releasedBytes()).isEqualTo(heap.mappedBytes());
        }
    }

    @Test
    void concurrentMCachesNeverShareMemory() throws InterruptedException {
        int threads = 4;
        try (MHeap heap = new MHeap(2L << 30)) {
            ConcurrentLinkedQueue<Obj> all = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        MCache c = heap.newMCache();
                        Random rnd = new Random(id);
                        for (int i = 0; i < 20_000; i++) {
                            long size = randomSize(rnd);
                            if (size == 0) {
                                continue;
                            }
                            long addr = Malloc.mallocgc(c, size, rnd.nextBoolean());
                            byte tag = (byte) (id * 60 + i % 59 + 1);
                            heap.arena().putByte(addr, tag);
                            heap.arena().putByte(addr + size - 1, tag);
                            all.add(new Obj(addr, size, tag));
                        }
                        c.releaseAll();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            assertThat(failures).isEmpty();
            List<Obj> objs = new ArrayList<>(all);
            objs.sort(Comparator.comparingLong(Obj::addr));
            for (int k = 0; k < objs.size(); k++) {
                Obj o = objs.get(k);
                if (k > 0) {
                    Obj prev = objs.get(k - 1);
                    assertThat(prev.addr() + prev.size()).as("%s overlaps %s", prev, o).isLessThanOrEqualTo(o.addr());
                }
                assertThat(heap.arena().getByte(o.addr())).isEqualTo(o.tag());
                assertThat(heap.arena().getByte(o.addr() + o.size() - 1)).isEqualTo(o.tag());
            }
            assertThat(heap.stats().allocsObjects() + heap.stats().tinyAllocsObjects()).isEqualTo(objs.size());
        }
    }
}
