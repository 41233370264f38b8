package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * {@link PageAlloc} against a reference model: a BitSet of in-use pages, a BitSet of released pages and a
 * grown-page count, where "alloc" is a linear scan for the lowest clear run. Each repetition replays 1000
 * random allocs, frees and scavenges from its own fixed seed and checks every answer against the model:
 * the exact address (lowest fit, hence no overlap), page alignment, growth in 512-page chunks, the
 * counters, and which pages the scavenger released (they read back zero, free backed pages keep their
 * data). At the end everything is freed and must coalesce into one run.
 */
class PageAllocTest {

    private static final int PAGE = SizeClasses.PAGE_SIZE;
    private static final int CHUNK = PageAlloc.CHUNK_PAGES;

    record Run(long addr, int npages) {
    }

    @RepeatedTest(200)
    void randomAllocFreeScavengeMatchesTheModel(RepetitionInfo rep) {
        Random rnd = new Random(0x9E3779B97F4A7C15L * rep.getCurrentRepetition());
        try (Arena arena = Arena.reserve(1L << 30)) {
            PageAlloc pa = new PageAlloc(arena);
            BitSet used = new BitSet();
            BitSet released = new BitSet();
            BitSet marked = new BitSet(); // pages holding their mark
            BitSet zeroed = new BitSet(); // marked pages released since, not written again
            int grown = 0;
            List<Run> live = new ArrayList<>();
            for (int op = 0; op < 1000; op++) {
                int kind = rnd.nextInt(100);
                if (kind < 55 || live.isEmpty()) {
                    int n = randomPages(rnd);
                    int expected = lowestFit(used, grown, n);
                    if (expected < 0) {
                        int oldGrown = grown;
                        grown += Math.ceilDiv(n, CHUNK) * CHUNK;
                        released.set(oldGrown, grown);
                        expected = lowestFit(used, grown, n);
                    }
                    long addr = pa.alloc(n);
                    assertThat((addr - arena.base()) % PAGE).isZero();
                    assertThat(addr).as("op %d: alloc(%d)", op, n).isEqualTo(arena.base() + (long) expected * PAGE);
                    used.set(expected, expected + n);
                    released.clear(expected, expected + n);
                    for (int p : new int[] {expected, expected + n - 1}) { // first and last page: cheap to touch
                        arena.putLong(arena.base() + (long) p * PAGE, p + 1); // a mark that survives unless released
                        marked.set(p);
                        zeroed.clear(p);
                    }
                    live.add(new Run(addr, n));
                } else if (kind < 97) {
                    Run r = live.remove(rnd.nextInt(live.size()));
                    pa.free(r.addr(), r.npages());
                    int p = (int) ((r.addr() - arena.base()) / PAGE);
                    used.clear(p, p + r.npages());
                } else {
                    long bytes = (long) rnd.nextInt(200) * PAGE + rnd.nextInt(PAGE);
                    BitSet before = (BitSet) released.clone();
                    long expectedPages = scavengeModel(used, released, grown, Math.ceilDiv(bytes, PAGE));
                    before.xor(released);
                    before.and(marked);
                    marked.andNot(before);
                    zeroed.or(before);
                    assertThat(pa.scavenge(bytes)).isEqualTo(expectedPages * PAGE);
                }
                assertThat(pa.mappedBytes()).isEqualTo((long) grown * PAGE);
                assertThat(pa.inUseBytes()).isEqualTo((long) used.cardinality() * PAGE);
                assertThat(pa.releasedBytes()).isEqualTo((long) released.cardinality() * PAGE);
                assertThat(pa.inUseBytes() + pa.freeBytes() + pa.releasedBytes()).isEqualTo(pa.mappedBytes());
                assertThat(pa.releasedBytes()).isLessThanOrEqualTo(pa.mappedBytes() - pa.inUseBytes());
            }
            for (int p = 0; p < grown; p++) {
                if (pa.isScavenged(arena.base() + (long) p * PAGE) != released.get(p)) {
                    throw new AssertionError("page " + p + " scavenged bit differs from the model");
                }
            }
            for (int p = marked.nextSetBit(0); p >= 0; p = marked.nextSetBit(p + 1)) {
                assertThat(arena.getLong(arena.base() + (long) p * PAGE)).as("backed page %d", p).isEqualTo(p + 1);
            }
            for (int p = zeroed.nextSetBit(0); p >= 0; p = zeroed.nextSetBit(p + 1)) {
                assertThat(arena.getLong(arena.base() + (long) p * PAGE)).as("released page %d", p).isZero();
            }
            for (Run r : live) {
                pa.free(r.addr(), r.npages());
            }
            assertThat(pa.inUseBytes()).isZero();
            assertThat(pa.largestFreeRun()).as("everything coalesced").isEqualTo(grown);
            assertThat(pa.alloc(grown)).isEqualTo(arena.base());
            assertThat(pa.mappedBytes()).as("no growth for the whole heap").isEqualTo((long) grown * PAGE);
        }
    }

    /** Mostly small spans, some up to a chunk, a few spanning several chunks. */
    private static int randomPages(Random rnd) {
        int k = rnd.nextInt(100);
        if (k < 70) {
            return 1 + rnd.nextInt(16);
        } else if (k < 95) {
            return 17 + rnd.nextInt(CHUNK - 16);
        }
        return CHUNK + 1 + rnd.nextInt(2 * CHUNK);
    }

    private static int lowestFit(BitSet used, int grown, int n) {
        for (int p = used.nextClearBit(0); p + n <= grown; p = used.nextClearBit(p)) {
            int q = used.nextSetBit(p);
            if (q < 0 || q >= p + n) {
                return p;
            }
            p = q;
        }
        return -1;
    }

    /** Releases up to {@code want} free unreleased pages from the top; returns how many. */
    private static long scavengeModel(BitSet used, BitSet released, int grown, long want) {
        long got = 0;
        for (int p = grown - 1; p >= 0 && got < want; p--) {
            if (!used.get(p) && !released.get(p)) {
                released.set(p);
                got++;
            }
        }
        return got;
    }

    @Test
    void freedNeighboursCoalesceAndTheLowestFitIsReused() {
        try (Arena arena = Arena.reserve(64L << 20)) {
            PageAlloc pa = new PageAlloc(arena);
            long a = pa.alloc(3);
            long b = pa.alloc(5);
            long c = pa.alloc(2);
            assertThat(a).isEqualTo(arena.base());
            assertThat(b).isEqualTo(a + 3L * PAGE);
            assertThat(c).isEqualTo(b + 5L * PAGE);
            pa.free(a, 3);
            pa.free(c, 2);
            assertThat(pa.alloc(4)).as("4 pages do not fit in the 3-page hole").isEqualTo(c);
            pa.free(c, 4);
            pa.free(b, 5);
            assertThat(pa.largestFreeRun()).isEqualTo(CHUNK);
            assertThat(pa.alloc(10)).as("a, b and c's runs merged").isEqualTo(a);
        }
    }

    @Test
    void heapGrowsInWholeChunksAndRunsMayStraddleThem() {
        try (Arena arena = Arena.reserve(64L << 20)) {
            PageAlloc pa = new PageAlloc(arena);
            assertThat(pa.mappedBytes()).isZero();
            long a = pa.alloc(1);
            assertThat(pa.mappedBytes()).isEqualTo(Arena.CHUNK_BYTES);
            assertThat(pa.releasedBytes()).as("grown memory starts released").isEqualTo(Arena.CHUNK_BYTES - PAGE);
            long b = pa.alloc(CHUNK); // 511 free pages left in chunk 0: grows by one chunk, straddles
            assertThat(b).isEqualTo(a + PAGE);
            assertThat(pa.mappedBytes()).isEqualTo(2 * Arena.CHUNK_BYTES);
            long c = pa.alloc(3 * CHUNK + 7);
            assertThat(c).isEqualTo(b + (long) CHUNK * PAGE);
            assertThat(pa.mappedBytes()).isEqualTo(6 * Arena.CHUNK_BYTES);
        }
    }

    @Test
    void scavengeReleasesHighestFreePagesFirst() {
        try (Arena arena = Arena.reserve(64L << 20)) {
            PageAlloc pa = new PageAlloc(arena);
            long a = pa.alloc(CHUNK);
            pa.free(a, CHUNK);
            assertThat(pa.freeBytes()).isEqualTo(Arena.CHUNK_BYTES);
            assertThat(pa.scavenge(3 * PAGE + 1)).as("rounded up to pages").isEqualTo(4L * PAGE);
            for (int p = 0; p < CHUNK; p++) {
                assertThat(pa.isScavenged(a + (long) p * PAGE)).isEqualTo(p >= CHUNK - 4);
            }
            assertThat(pa.scavenge(1L << 40)).isEqualTo((CHUNK - 4L) * PAGE);
            assertThat(pa.scavenge(PAGE)).as("nothing left to release").isZero();
            assertThat(pa.releasedBytes()).isEqualTo(Arena.CHUNK_BYTES);
            assertThat(pa.freeBytes()).isZero();
        }
    }

    @Test
    void badFreesAndExhaustionFailClearly() {
        try (Arena arena = Arena.reserve(8L << 20)) {
            PageAlloc pa = new PageAlloc(arena);
            long a = pa.alloc(2);
            assertThatThrownBy(() -> pa.free(a + PAGE, 2)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("free of free page");
            assertThatThrownBy(() -> pa.free(a + 8, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pa.free(a + Arena.CHUNK_BYTES, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pa.alloc(0)).isInstanceOf(IllegalArgumentException.class);
            pa.alloc(CHUNK); // grows to the whole 8 MiB arena
            assertThatThrownBy(() -> pa.alloc(CHUNK)).isInstanceOf(ArenaExhaustedException.class)
                    .hasMessageContaining("cannot allocate 4194304-byte block")
                    .hasMessageContaining("has 0 of its 8388608 reserved bytes available");
            assertThat(pa.alloc(CHUNK - 2 - 1)).as("what fits still fits").isNotZero();
        }
    }
}
