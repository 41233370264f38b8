package golab.runtime.heap;

import java.util.BitSet;

/**
 * The heap's page allocator: Go's {@code pageAlloc} (mpagealloc.go, mpallocbits.go) with the scavenged
 * bitmap of mgcscavenge.go, over the pages of an {@link Arena}. Pages are 8 KiB; {@link #alloc} returns
 * the lowest-addressed run of free pages that is long enough (first fit by address, as Go does, which keeps
 * the heap dense at low addresses), growing the heap in 4 MiB chunks of 512 pages when no run fits.
 *
 * <p>Structure, as Go's: one bit per page says "in use" ({@link #alloc}) and one says "scavenged" (free
 * and returned to the OS). Every 512-page chunk has a summary (start, max, end) — the free pages at its
 * start, the longest free run, the free pages at its end — and a binary tree over the chunks merges
 * summaries upward ({@code start = l.start == l.width ? l.width + r.start : l.start}, likewise for end,
 * {@code max = max(l.max, r.max, l.end + r.start)}). Go keeps the same summaries, packed 21 bits each, in
 * a 5-level radix tree over the whole 48-bit address space (2^14 root entries, fan-out 8 below); one
 * arena needs only a binary tree over its own chunks, the same idea with simpler indexing.
 *
 * <p>Why this structure: a lowest-address fit is one walk down the tree, O(log chunks), plus a scan of one
 * chunk's 512 bits: at a node, go left if the left child's max fits; else a run straddling the middle
 * must start at the left child's free suffix; else go right. Freeing clears bits and re-summarises the
 * touched chunks, O(pages/64 + chunks·log chunks); coalescing with neighbours is implicit, because a free
 * run is simply a maximal range of clear bits. An address-ordered tree of free runs would find a fit in
 * the same time but must split and merge nodes explicitly; the bitmap also gives the scavenger what it
 * needs, a per-page "released" bit, for free.
 *
 * <p>Page states, and the metrics they feed (runtime/metrics, in bytes):
 * <ul>
 *   <li>in use: allocated to a span ({@link #inUseBytes});
 *   <li>free and backed by memory: /memory/classes/heap/free:bytes ({@link #freeBytes});
 *   <li>free and released to the OS: /memory/classes/heap/released:bytes ({@link #releasedBytes}).
 * </ul>
 * They partition the grown heap: in use + free + released = {@link #mappedBytes}. Newly grown pages
 * start as released (Go: "newly-grown memory is always considered scavenged"), as they cost no RSS until
 * touched; allocating pages clears their scavenged bits; freeing makes them free and backed; {@link
 * #scavenge} releases free backed pages highest-address first (Go's scavenger also works downward, away
 * from where the allocator reuses memory).
 *
 * <p>Not thread-safe: callers hold the heap lock (Go's mheap.lock). The byte getters may be read racily.
 */
public final class PageAlloc {

    /** Go's pallocChunkPages. */
    public static final int CHUNK_PAGES = (int) (Arena.CHUNK_BYTES / SizeClasses.PAGE_SIZE);

    private final Arena arena;
    /** Leaves of the summary tree start here (a power of two, at least the arena's chunk count). */
    private final int leaves;
    /** Summary tree, heap-indexed from 1: free pages at the start, longest free run, free pages at the end. */
    private final int[] sumStart;
    private final int[] sumMax;
    private final int[] sumEnd;
    /** One bit per arena page: 1 = in use. Meaningless above the grown region, whose summaries are 0. */
    private final BitSet inUse = new BitSet();
    /** One bit per arena page: 1 = free and released to the OS. */
    private final BitSet scavenged = new BitSet();
    private int grownChunks;
    private long inUsePages;
    private long releasedPages;

    /** A page allocator over {@code arena}, which it grows; nothing is grown yet. */
    public PageAlloc(Arena arena) {
        this.arena = arena;
        int chunks = Math.toIntExact(arena.size() / Arena.CHUNK_BYTES);
        int l = 1;
        while (l < chunks) {
            l <<= 1;
        }
        this.leaves = l;
        this.sumStart = new int[2 * leaves];
        this.sumMax = new int[2 * leaves];
        this.sumEnd = new int[2 * leaves];
    }

    /**
     * Allocates {@code npages} contiguous pages at the lowest address where they fit, growing the heap by
     * whole chunks if none fits, and returns the first page's address.
     *
     * @throws ArenaExhaustedException if the heap must grow beyond the arena
     */
    public long alloc(long npages) {
        if (npages <= 0) {
            throw new IllegalArgumentException("alloc of " + npages + " pages");
        }
        if (sumMax[1] < npages) {
            grow(npages);
        }
        int n = (int) npages; // fits: the arena holds it
        int page = find(n);
        allocRange(page, n);
        return arena.base() + (long) page * SizeClasses.PAGE_SIZE;
    }

    /** Frees {@code npages} pages at {@code addr}, which must all be in use. They join their free neighbours. */
    public void free(long addr, long npages) {
        long offset = addr - arena.base();
        if (offset < 0 || offset % SizeClasses.PAGE_SIZE != 0 || npages <= 0
                || offset / SizeClasses.PAGE_SIZE + npages > (long) grownChunks * CHUNK_PAGES) {
            throw new IllegalArgumentException("free of " + npages + " pages at 0x" + Long.toHexString(addr)
                    + ": not page-aligned inside the grown heap");
        }
        int page = (int) (offset / SizeClasses.PAGE_SIZE);
        int n = (int) npages;
        int free = inUse.nextClearBit(page);
        if (free < page + n) {
            throw new IllegalStateException("free of free page at 0x"
                    + Long.toHexString(arena.base() + (long) free * SizeClasses.PAGE_SIZE));
        }
        inUse.clear(page, page + n);
        inUsePages -= n;
        updateChunks(page, page + n);
    }

    /**
     * Returns at least {@code bytes} (rounded up to pages) of free, still backed memory to the OS, highest
     * addresses first, or all there is; reports the bytes released. Go's {@code pageAlloc.scavenge}.
     */
    public long scavenge(long bytes) {
        long want = Math.ceilDiv(Math.max(bytes, 0), SizeClasses.PAGE_SIZE);
        long got = 0;
        int p = grownChunks * CHUNK_PAGES - 1;
        while (got < want && p >= 0) {
            p = inUse.previousClearBit(p);
            if (p < 0) {
                break;
            }
            if (scavenged.get(p)) {
                p = scavenged.previousClearBit(p);
                continue;
            }
            int lo = Math.max(inUse.previousSetBit(p), scavenged.previousSetBit(p)) + 1;
            lo = (int) Math.max(lo, p + 1 - (want - got));
            arena.release(arena.base() + (long) lo * SizeClasses.PAGE_SIZE,
                    (long) (p + 1 - lo) * SizeClasses.PAGE_SIZE);
            scavenged.set(lo, p + 1);
            got += p + 1 - lo;
            releasedPages += p + 1 - lo;
            p = lo - 1;
        }
        return got * SizeClasses.PAGE_SIZE;
    }

    /** Bytes of the heap grown so far: in use + free + released. */
    public long mappedBytes() {
        return (long) grownChunks * Arena.CHUNK_BYTES;
    }

    /** Bytes of pages in use by spans. */
    public long inUseBytes() {
        return inUsePages * SizeClasses.PAGE_SIZE;
    }

    /** Free pages still backed by memory: Go's /memory/classes/heap/free:bytes. */
    public long freeBytes() {
        return mappedBytes() - inUseBytes() - releasedBytes();
    }

    /** Free pages returned to the OS: Go's /memory/classes/heap/released:bytes. */
    public long releasedBytes() {
        return releasedPages * SizeClasses.PAGE_SIZE;
    }

    /** Length in pages of the longest free run in the grown heap (the summary tree's root max). */
    public long largestFreeRun() {
        return sumMax[1];
    }

    /** Whether the page at {@code addr} is free and released to the OS. */
    public boolean isScavenged(long addr) {
        return scavenged.get(Math.toIntExact((addr - arena.base()) / SizeClasses.PAGE_SIZE));
    }

    /** Go's mheap.grow: map ceil(n/512) more chunks, all free and scavenged. */
    private void grow(long n) {
        long available = arena.size() - arena.mapped();
        if (n > available / SizeClasses.PAGE_SIZE) {
            // Both are whole chunks or more, so the request itself does not fit: report it, not the rounded grow.
            throw new ArenaExhaustedException(n * SizeClasses.PAGE_SIZE, available, arena.size());
        }
        long bytes = Math.ceilDiv(n, CHUNK_PAGES) * Arena.CHUNK_BYTES;
        long addr = arena.grow(bytes);
        int first = (int) ((addr - arena.base()) / SizeClasses.PAGE_SIZE);
        int pages = (int) (bytes / SizeClasses.PAGE_SIZE);
        scavenged.set(first, first + pages);
        releasedPages += pages;
        grownChunks += pages / CHUNK_PAGES;
        updateChunks(first, first + pages);
    }

    /** The first page of the lowest run of {@code n} free pages; the root's max is at least n. */
    private int find(int n) {
        int node = 1;
        int nodeStart = 0;
        int width = leaves * CHUNK_PAGES;
        while (node < leaves) {
            int l = 2 * node;
            int half = width / 2;
            if (sumMax[l] >= n) {
                node = l;
            } else if (sumEnd[l] + sumStart[l + 1] >= n) {
                return nodeStart + half - sumEnd[l];
            } else {
                node = l + 1;
                nodeStart += half;
            }
            width = half;
        }
        int limit = nodeStart + CHUNK_PAGES;
        for (int p = inUse.nextClearBit(nodeStart); p < limit; ) {
            int used = inUse.nextSetBit(p);
            int q = used < 0 ? limit : Math.min(used, limit);
            if (q - p >= n) {
                return p;
            }
            p = inUse.nextClearBit(q);
        }
        throw new IllegalStateException("page summary of chunk " + (nodeStart / CHUNK_PAGES)
                + " promised a run of " + n + " pages");
    }

    private void allocRange(int page, int n) {
        int scav = 0;
        for (int p = scavenged.nextSetBit(page); p >= 0 && p < page + n; p = scavenged.nextSetBit(p + 1)) {
            scav++;
        }
        scavenged.clear(page, page + n);
        releasedPages -= scav;
        if (scav != 0) {
            arena.used(arena.base() + (long) page * SizeClasses.PAGE_SIZE, (long) n * SizeClasses.PAGE_SIZE);
        }
        inUse.set(page, page + n);
        inUsePages += n;
        updateChunks(page, page + n);
    }

    /** Re-summarises the chunks holding pages [from, to) and their ancestors. */
    private void updateChunks(int from, int to) {
        for (int c = from / CHUNK_PAGES; c <= (to - 1) / CHUNK_PAGES; c++) {
            summarize(c);
            int width = CHUNK_PAGES;
            for (int node = (leaves + c) / 2; node >= 1; node /= 2) {
                merge(node, width);
                width *= 2;
            }
        }
    }

    /** Go's pallocBits.summarize for chunk {@code c}. */
    private void summarize(int c) {
        int lo = c * CHUNK_PAGES;
        int hi = lo + CHUNK_PAGES;
        int leaf = leaves + c;
        int firstUsed = inUse.nextSetBit(lo);
        if (firstUsed < 0 || firstUsed >= hi) {
            sumStart[leaf] = sumMax[leaf] = sumEnd[leaf] = CHUNK_PAGES;
            return;
        }
        sumStart[leaf] = firstUsed - lo;
        sumEnd[leaf] = hi - 1 - inUse.previousSetBit(hi - 1);
        int max = Math.max(sumStart[leaf], sumEnd[leaf]);
        for (int p = inUse.nextClearBit(firstUsed); p < hi; ) {
            int q = inUse.nextSetBit(p);
            if (q < 0 || q >= hi) {
                break;
            }
            max = Math.max(max, q - p);
            p = inUse.nextClearBit(q);
        }
        sumMax[leaf] = max;
    }

    /** Merges the summaries of {@code node}'s children, each {@code childWidth} pages wide. */
    private void merge(int node, int childWidth) {
        int l = 2 * node;
        int r = l + 1;
        sumStart[node] = sumStart[l] == childWidth ? childWidth + sumStart[r] : sumStart[l];
        sumEnd[node] = sumEnd[r] == childWidth ? childWidth + sumEnd[l] : sumEnd[r];
        sumMax[node] = Math.max(Math.max(sumMax[l], sumMax[r]), sumEnd[l] + sumStart[r]);
    }
}
