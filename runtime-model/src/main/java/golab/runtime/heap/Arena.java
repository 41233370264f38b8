package golab.runtime.heap;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The model heap's address space: one reservation of virtual memory made once, at start, from a
 * configured maximum, off the Java heap. Go reserves address space for its heap arenas and commits it as
 * the heap grows (mem_linux.go: sysReserve, sysMap, sysUsed, sysUnused, sysFree); this is the same with a
 * single arena.
 *
 * <p>Reservation is {@code mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)} through a
 * {@code java.lang.foreign} downcall, so pages cost neither RSS nor commit charge until first touched.
 * {@link #grow} is therefore only bookkeeping (Go's sysMap), {@link #used} asks for transparent huge pages
 * where Go 1.19 does (sysUsed), and {@link #release} is {@code madvise(MADV_DONTNEED)} (Go's sysUnused on
 * Linux): the kernel drops the pages, RSS falls, and the range reads back as zeros on next touch.
 * {@link #close} unmaps everything (Go never does).
 *
 * <p>Addresses are absolute virtual addresses as {@code long}s, so 0 is never a heap address and serves as
 * nil, as in Go. The arena starts on a 4 MiB boundary (a page-allocator chunk) and its size is a multiple
 * of 4 MiB; heap pages (8 KiB) are therefore aligned in address as well as in offset.
 *
 * <p>Memory is read and written through one shared {@link MemorySegment} covering the arena; once the
 * arena is closed that segment is invalid and any access throws instead of touching unmapped memory.
 *
 * <p>Thread safety: accessors and {@link #release} may be called from any thread; {@link #grow} mutates
 * the mapped frontier and must be called under the heap lock.
 */
public final class Arena implements AutoCloseable {

    /** Go's pallocChunkBytes: the page allocator's chunk, the arena's alignment and growth unit. */
    public static final long CHUNK_BYTES = 4L << 20;

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_NOHUGEPAGE = 15;
    /** Linux's transparent huge page on amd64 (Go's physHugePageSize). */
    static final long HUGE_PAGE_BYTES = 2L << 20;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;

    static {
        Linker linker = Linker.nativeLinker();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        var lookup = linker.defaultLookup();
        MMAP = linker.downcallHandle(lookup.findOrThrow("mmap"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                errno);
        MUNMAP = linker.downcallHandle(lookup.findOrThrow("munmap"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), errno);
        MADVISE = linker.downcallHandle(lookup.findOrThrow("madvise"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT), errno);
    }

    private final java.lang.foreign.Arena scope;
    private final MemorySegment memory;
    private final long base;
    private final long size;
    /** Bytes from base handed to the heap so far (Go's mapped heap); guarded by the heap lock. */
    private long mapped;

    private Arena(java.lang.foreign.Arena scope, MemorySegment memory, long base, long size) {
        this.scope = scope;
        this.memory = memory;
        this.base = base;
        this.size = size;
    }

    /**
     * Reserves {@code maxBytes} (rounded up to 4 MiB) of address space. The mapping is 4 MiB larger than
     * asked so that the arena can start on a 4 MiB boundary; the slack is never touched and costs nothing.
     */
    public static Arena reserve(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("arena maximum must be positive, got " + maxBytes);
        }
        String os = System.getProperty("os.name");
        if (!os.startsWith("Linux")) {
            throw new UnsupportedOperationException("the model heap's arena needs Linux mmap flags, not " + os);
        }
        long size = Math.ceilDiv(maxBytes, CHUNK_BYTES) * CHUNK_BYTES;
        long mapLen = size + CHUNK_BYTES;
        java.lang.foreign.Arena scope = java.lang.foreign.Arena.ofShared();
        try {
            MemorySegment state = scope.allocate(CALL_STATE);
            MemorySegment start = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, mapLen,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            long mapAddr = start.address();
            if (mapAddr == -1L) {
                throw new IllegalStateException("mmap of " + mapLen + " bytes failed: errno " + errno(state));
            }
            long base = Math.ceilDiv(mapAddr, CHUNK_BYTES) * CHUNK_BYTES;
            MemorySegment memory =
                    MemorySegment.ofAddress(base).reinterpret(size, scope, ignored -> unmap(mapAddr, mapLen));
            return new Arena(scope, memory, base, size);
        } catch (RuntimeException | Error e) {
            scope.close();
            throw e;
        } catch (Throwable t) {
            scope.close();
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    private static void unmap(long addr, long len) {
        try (java.lang.foreign.Arena tmp = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment state = tmp.allocate(CALL_STATE);
            int rc = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(addr), len);
            if (rc != 0) {
                throw new IllegalStateException("munmap failed: errno " + errno(state));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** First address of the arena (4 MiB aligned). */
    public long base() {
        return base;
    }

    /** One past the last address of the arena. */
    public long limit() {
        return base + size;
    }

    /** Reserved bytes. */
    public long size() {
        return size;
    }

    /** Bytes handed to the heap by {@link #grow} so far. */
    public long mapped() {
        return mapped;
    }

    /**
     * Hands the next {@code bytes} of the reservation to the heap (Go's sysMap of a fresh arena range) and
     * returns their first address. Caller holds the heap lock.
     *
     * @throws ArenaExhaustedException if fewer than {@code bytes} remain
     */
    public long grow(long bytes) {
        if (bytes <= 0 || bytes % SizeClasses.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("grow by " + bytes + " bytes: must be a positive multiple of "
                    + SizeClasses.PAGE_SIZE);
        }
        if (bytes > size - mapped) {
            throw new ArenaExhaustedException(bytes, size - mapped, size);
        }
        long addr = base + mapped;
        mapped += bytes;
        return addr;
    }

    /**
     * Returns the pages of {@code [addr, addr+bytes)} to the OS (Go's sysUnusedOS on Linux): RSS drops and the
     * range reads back as zeros; it stays reserved and usable. As Go does, the huge pages that the range only
     * partly covers are first advised {@code MADV_NOHUGEPAGE}, so that khugepaged does not fill the released
     * part back in around a page still in use; a released range that is whole huge pages keeps its advice.
     */
    public void release(long addr, long bytes) {
        checkPages(addr, bytes);
        long head = addr % HUGE_PAGE_BYTES != 0 ? alignDown(addr) : 0;
        long tail = (addr + bytes) % HUGE_PAGE_BYTES != 0 ? alignDown(addr + bytes - 1) : 0;
        if (head != 0 && head + HUGE_PAGE_BYTES == tail) {
            adviseHuge(head, 2 * HUGE_PAGE_BYTES, MADV_NOHUGEPAGE);
        } else {
            if (head != 0) {
                adviseHuge(head, HUGE_PAGE_BYTES, MADV_NOHUGEPAGE);
            }
            if (tail != 0 && tail != head) {
                adviseHuge(tail, HUGE_PAGE_BYTES, MADV_NOHUGEPAGE);
            }
        }
        int errno = madvise(addr, bytes, MADV_DONTNEED);
        if (errno != 0) {
            throw new IllegalStateException("madvise(MADV_DONTNEED) of " + bytes + " bytes at 0x"
                    + Long.toHexString(addr) + " failed: errno " + errno);
        }
    }

    /**
     * Pages of {@code [addr, addr+bytes)} that were released or never touched are about to hold a span (Go's
     * sysUsedOS on Linux): the whole huge pages inside the range are advised {@code MADV_HUGEPAGE}, so that a
     * first touch there faults in 2 MiB at once. Go 1.19 asks for huge pages only here, when a span takes
     * scavenged (or newly grown) pages: a one-page span covers no whole huge page and gets no advice, so a heap
     * of small objects stays on 4 KiB pages unless the system's THP mode is {@code always}, while a large
     * object's pages are advised. golab follows it, so that both runtimes' mutators see the same TLB.
     */
    public void used(long addr, long bytes) {
        checkPages(addr, bytes);
        long begin = Math.ceilDiv(addr, HUGE_PAGE_BYTES) * HUGE_PAGE_BYTES;
        long end = alignDown(addr + bytes);
        if (begin < end) {
            adviseHuge(begin, end - begin, MADV_HUGEPAGE);
        }
    }

    private static long alignDown(long addr) {
        return addr / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES;
    }

    /**
     * Huge-page advice, whose failure Go ignores (EINVAL where the kernel has no transparent huge pages): it only
     * changes how the range is backed. The arena's base and size are whole huge pages, so a huge page holding an
     * arena address lies inside the arena.
     */
    private void adviseHuge(long addr, long bytes, int advice) {
        int _ = madvise(addr, bytes, advice);
    }

    /** {@code madvise} over arena memory; 0, or the errno of its failure. */
    private int madvise(long addr, long bytes, int advice) {
        MemorySegment range = memory.asSlice(addr - base, bytes);
        try (java.lang.foreign.Arena tmp = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment state = tmp.allocate(CALL_STATE);
            int rc = (int) MADVISE.invokeExact(state, range, bytes, advice);
            return rc == 0 ? 0 : errno(state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }

    /** Whether {@code [addr, addr+bytes)} lies inside the arena. */
    public boolean contains(long addr, long bytes) {
        return addr >= base && bytes >= 0 && addr - base <= size - bytes;
    }

    /** The memory of {@code [addr, addr+bytes)} as a segment (valid until the arena is closed). */
    public MemorySegment segment(long addr, long bytes) {
        return memory.asSlice(addr - base, bytes);
    }

    /** Reads the 8-byte word at {@code addr} (8-byte aligned). */
    public long getLong(long addr) {
        return memory.get(ValueLayout.JAVA_LONG, addr - base);
    }

    /** Writes the 8-byte word at {@code addr} (8-byte aligned). */
    public void putLong(long addr, long value) {
        memory.set(ValueLayout.JAVA_LONG, addr - base, value);
    }

    /** Reads the 4-byte int at {@code addr} (4-byte aligned). */
    public int getInt(long addr) {
        return memory.get(ValueLayout.JAVA_INT, addr - base);
    }

    /** Writes the 4-byte int at {@code addr} (4-byte aligned). */
    public void putInt(long addr, int value) {
        memory.set(ValueLayout.JAVA_INT, addr - base, value);
    }

    /** Reads the byte at {@code addr}. */
    public byte getByte(long addr) {
        return memory.get(ValueLayout.JAVA_BYTE, addr - base);
    }

    /** Writes the byte at {@code addr}. */
    public void putByte(long addr, byte value) {
        memory.set(ValueLayout.JAVA_BYTE, addr - base, value);
    }

    /** Zeroes {@code [addr, addr+bytes)} (Go's memclrNoHeapPointers). */
    public void clear(long addr, long bytes) {
        memory.asSlice(addr - base, bytes).fill((byte) 0);
    }

    /** Fills {@code [addr, addr+bytes)} with the 8-byte {@code pattern}; both 8-byte aligned. */
    public void fill(long addr, long bytes, long pattern) {
        for (long p = addr; p < addr + bytes; p += 8) {
            putLong(p, pattern);
        }
    }

    /** Unmaps the reservation; every later access to its memory throws. */
    @Override
    public void close() {
        scope.close();
    }

    private void checkPages(long addr, long bytes) {
        if ((addr - base) % SizeClasses.PAGE_SIZE != 0 || bytes % SizeClasses.PAGE_SIZE != 0
                || !contains(addr, bytes)) {
            throw new IllegalArgumentException("range 0x" + Long.toHexString(addr) + "+" + bytes
                    + " is not whole pages inside the arena [0x" + Long.toHexString(base) + ", 0x"
                    + Long.toHexString(limit()) + ")");
        }
    }
}
