package golab.runtime.heap;

import golab.runtime.sched.RuntimeLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;

/**
 * Goroutine stack memory: Go's {@code stackalloc}/{@code stackfree} (stack.go), one per run.
 *
 * <p>Stacks are powers of two, at least {@link #FIXED_STACK}. Small ones (2, 4, 8 and 16 KiB: orders 0 to 3,
 * Go's {@code _NumStackOrders = 4}) come from a P's {@link StackCache} or, without a P, from the global
 * {@code stackpool}: per order, a list of 32 KiB manual spans ({@link MHeap#allocManual}, 4 pages) cut into
 * equal stacks, each a {@link StackSpan}. A span that becomes entirely free goes back to the heap at once
 * (Go does so only while the GC is off and queues it until the cycle ends otherwise; golab frees it at once
 * even during marking, which is safe because a stack is only scanned while its goroutine is held). Larger
 * stacks get a dedicated manual span of their own and go back to the heap when freed (Go's
 * {@code stackLarge} cache is not modelled).
 *
 * <p>Manual spans are not in the heap's span map; the pool finds a small stack's span through its own page
 * map ({@link #spanOf}), Go's {@code spanOfUnchecked} for stacks.
 *
 * <p>Counters: {@link #inUseBytes} is every manual span held for stacks, cached and pooled stacks included
 * (Go's {@code stacks_inuse}, {@code /memory/classes/heap/stacks:bytes}); {@link #maxStackScan} is the
 * stack bytes of live goroutines (Go's {@code gcController.maxStackScan}, which counts in the pacer's goal).
 *
 * <p>Locking: one pool lock for all orders (Go has one per order; the caches make pool traffic rare); the
 * page map is written under it. Invariants: a stack is in at most one of: a G, a cache, a span's free set.
 */
public final class StackAlloc {

    /** Go's fixedStack on linux/amd64: the smallest stack and every goroutine's starting size. */
    public static final int FIXED_STACK = 2048;
    /** Go's _NumStackOrders on linux: stacks of 2, 4, 8 and 16 KiB are pooled. */
    static final int NUM_STACK_ORDERS = 4;
    /** Go's _StackCacheSize: a pool span's size and the most a P caches per order. */
    static final int STACK_CACHE_SIZE = 32 * 1024;
    /** Go's maxstacksize on 64-bit: decimal on purpose. */
    public static final long DEFAULT_MAX_STACK = 1_000_000_000L;
    /** Go's maxstackceiling: no stack grows beyond this whatever {@link #setMaxStack} says. */
    static final long MAX_STACK_CEILING = 2 * DEFAULT_MAX_STACK;

    private static final int SPAN_PAGES = STACK_CACHE_SIZE / SizeClasses.PAGE_SIZE;
    /** How far a P's maxStackScan delta may drift before it is flushed (Go's maxStackScanSlack). */
    static final long MAX_STACK_SCAN_SLACK = 8 << 10;

    private final MHeap heap;
    private final RuntimeLock lock = new RuntimeLock();
    /** Per order, the spans with free stacks (Go's stackpool[order].item.span). Guarded by {@link #lock}. */
    private final StackSpan[] pool = new StackSpan[NUM_STACK_ORDERS];
    /** Per 4 MiB chunk, the pool span of each page (null if none). Written under {@link #lock}. */
    private final StackSpan[][] spans;
    private final AtomicLong inUse = new AtomicLong();
    /** Flushed part of maxStackScan; each P's cache holds up to {@link #MAX_STACK_SCAN_SLACK} more. */
    private final AtomicLong scannable = new AtomicLong();
    /** Every P's cache, for reading maxStackScan with the unflushed deltas (a copy-on-write list). */
    private volatile List<StackCache> caches = List.of();
    private volatile long maxStack = DEFAULT_MAX_STACK;

    /** The stack allocator of {@code heap}'s run. */
    public StackAlloc(MHeap heap) {
        this.heap = heap;
        this.spans = new StackSpan[Math.toIntExact(heap.arena().size() / Arena.CHUNK_BYTES)][];
    }

    /** A new, empty stack cache for a P (Go's part of allocmcache). */
    public synchronized StackCache newCache() {
        StackCache c = new StackCache();
        List<StackCache> all = new ArrayList<>(caches);
        all.add(c);
        caches = List.copyOf(all);
        return c;
    }

    Arena arena() {
        return heap.arena();
    }

    /** Bytes of a stack of {@code order}. */
    static int orderSize(int order) {
        return FIXED_STACK << order;
    }

    /**
     * Go's stackalloc: {@code n} bytes of stack, a power of two at least {@link #FIXED_STACK}; returns its
     * lowest address. The memory may be dirty. {@code c} is the calling P's cache, or null without a P.
     */
    public long stackalloc(StackCache c, long n) {
        int order = order(n);
        if (order < 0) {
            int npages = Math.toIntExact(n / SizeClasses.PAGE_SIZE);
            long lo = heap.allocManual(npages);
            inUse.addAndGet(n);
            return lo;
        }
        if (c == null) {
            lock.lock();
            try {
                return poolalloc(order);
            } finally {
                lock.unlock();
            }
        }
        long lo = c.pop(order);
        if (lo == 0) {
            refill(c, order);
            lo = c.pop(order);
        }
        return lo;
    }

    /** Go's stackfree: gives back the {@code n}-byte stack at {@code lo}, through the cache {@code c} if non-null. */
    public void stackfree(StackCache c, long lo, long n) {
        int order = order(n);
        if (order < 0) {
            heap.freeManual(lo, Math.toIntExact(n / SizeClasses.PAGE_SIZE));
            inUse.addAndGet(-n);
            return;
        }
        if (c == null) {
            lock.lock();
            try {
                poolfree(lo, order);
            } finally {
                lock.unlock();
            }
            return;
        }
        if (c.size(order) >= STACK_CACHE_SIZE) {
            release(c, order);
        }
        c.push(order, lo);
    }

    /** Go's stackcache_clear: returns every stack of a P's cache to the pool (the P is being destroyed). */
    public void clear(StackCache c) {
        lock.lock();
        try {
            for (int order = 0; order < NUM_STACK_ORDERS; order++) {
                for (long lo = c.pop(order); lo != 0; lo = c.pop(order)) {
                    poolfree(lo, order);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The order of a pooled {@code n}-byte stack, or -1 for a large one; rejects sizes that are not stack sizes. */
    private static int order(long n) {
        if (n < FIXED_STACK || Long.bitCount(n) != 1) {
            throw new IllegalArgumentException("stack size " + n + " is not a power of two >= " + FIXED_STACK);
        }
        return n < STACK_CACHE_SIZE ? Long.numberOfTrailingZeros(n / FIXED_STACK) : -1;
    }

    /** Go's stackcacherefill: moves stacks from the pool to {@code c} until half a cache's worth is there. */
    private void refill(StackCache c, int order) {
        lock.lock();
        try {
            while (c.size(order) < STACK_CACHE_SIZE / 2) {
                c.push(order, poolalloc(order));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Go's stackcacherelease: moves stacks from {@code c} back to the pool until half a cache's worth is left. */
    private void release(StackCache c, int order) {
        lock.lock();
        try {
            while (c.size(order) > STACK_CACHE_SIZE / 2) {
                poolfree(c.pop(order), order);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Go's stackpoolalloc: a stack from the first span with one, cutting a new span if none has. Holds the lock. */
    private long poolalloc(int order) {
        StackSpan s = pool[order];
        if (s == null) {
            s = new StackSpan(heap.allocManual(SPAN_PAGES), order);
            inUse.addAndGet(STACK_CACHE_SIZE);
            setSpans(s.base, s);
            insert(s);
        }
        long lo = s.take();
        if (!s.hasFree()) {
            remove(s);
        }
        return lo;
    }

    /** Go's stackpoolfree: gives a stack back to its span; an entirely free span goes back to the heap. Holds the lock. */
    private void poolfree(long lo, int order) {
        StackSpan s = spanOf(lo);
        if (s == null || s.order != order) {
            throw new IllegalStateException("stackfree: 0x" + Long.toHexString(lo) + " is not a stack of "
                    + orderSize(order) + " bytes");
        }
        if (!s.hasFree()) {
            insert(s);
        }
        s.put(lo);
        if (s.allFree()) {
            remove(s);
            setSpans(s.base, null);
            heap.freeManual(s.base, SPAN_PAGES);
            inUse.addAndGet(-STACK_CACHE_SIZE);
        }
    }

    private void insert(StackSpan s) {
        s.prev = null;
        s.next = pool[s.order];
        if (s.next != null) {
            s.next.prev = s;
        }
        pool[s.order] = s;
    }

    private void remove(StackSpan s) {
        if (s.prev == null) {
            pool[s.order] = s.next;
        } else {
            s.prev.next = s.next;
        }
        if (s.next != null) {
            s.next.prev = s.prev;
        }
        s.next = null;
        s.prev = null;
    }

    private StackSpan spanOf(long addr) {
        long page = (addr - heap.arena().base()) / SizeClasses.PAGE_SIZE;
        StackSpan[] chunk = spans[(int) (page / PageAlloc.CHUNK_PAGES)];
        return chunk == null ? null : chunk[(int) (page % PageAlloc.CHUNK_PAGES)];
    }

    private void setSpans(long base, StackSpan s) {
        long first = (base - heap.arena().base()) / SizeClasses.PAGE_SIZE;
        for (long p = first; p < first + SPAN_PAGES; p++) {
            int c = (int) (p / PageAlloc.CHUNK_PAGES);
            if (spans[c] == null) {
                spans[c] = new StackSpan[PageAlloc.CHUNK_PAGES];
            }
            spans[c][(int) (p % PageAlloc.CHUNK_PAGES)] = s;
        }
    }

    /** /memory/classes/heap/stacks:bytes — memory held for goroutine stacks, in use or cached. */
    public long inUseBytes() {
        return inUse.get();
    }

    /** Go's maxStackScan: the stack bytes of live goroutines (their whole stacks, not just the used part). */
    public long maxStackScan() {
        long n = scannable.get();
        for (StackCache c : caches) {
            n += c.scannableDelta; // racy read of the owner's counter, as Go reads its per-P deltas
        }
        return n;
    }

    /**
     * A stack of {@code c}'s P started or stopped counting as scannable (Go's addScannableStack): the change
     * accumulates on the P and reaches the shared counter once it exceeds the slack, so spawning and exiting
     * goroutines touch no shared cache line.
     */
    void addScannableStack(StackCache c, long delta) {
        long d = c.scannableDelta + delta;
        if (d >= MAX_STACK_SCAN_SLACK || d <= -MAX_STACK_SCAN_SLACK) {
            scannable.addAndGet(d);
            heap.gcController.addScannableStack(d);
            d = 0;
        }
        c.scannableDelta = d;
    }

    /** The largest stack a goroutine may grow to (Go's maxstacksize). */
    public long maxStack() {
        return maxStack;
    }

    /** Go's debug.SetMaxStack: sets the stack limit and returns the previous one. */
    public long setMaxStack(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("max stack " + bytes + ": must be positive");
        }
        long old = maxStack;
        maxStack = bytes;
        return old;
    }
}
