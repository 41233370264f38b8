package golab.runtime.heap;

import golab.runtime.gc.Collector;
import golab.runtime.sched.G;
import golab.runtime.sched.Park;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The heap as workloads see it: Go's {@code new}, {@code make} and field accesses, on the calling goroutine.
 * Allocation goes through {@link Malloc#mallocgc(MCache, Type, long)} with the mcache of the goroutine's P
 * (a P's mcache is used only while its M runs a goroutine, and a goroutine keeps its P until it reaches a
 * safepoint, which nothing here is); loads and stores go through the run's {@link HeapAccess}, which checks
 * them and calls the write barrier on every pointer store.
 *
 * <p>Addresses are {@code long}s, 0 is nil. Every allocation is a safepoint (it may yield, assist the GC or
 * start a cycle), like {@code checkpoint()}, a channel operation or a park. A pointer kept only in a Java
 * local across a safepoint is invisible to the GC and may be freed: store it in a root first — a field of a
 * reachable object, a frame slot ({@link Frames}) or a {@linkplain #global global}. The result of an
 * allocation is safe in a local until the next safepoint.
 *
 * <p>Bad input: a negative count throws {@link IllegalArgumentException}; zero bytes give the shared
 * zerobase; a request the arena cannot hold ends the run with Go's {@code fatal error: out of memory}, whose
 * report carries Go's {@code runtime: out of memory: cannot allocate N-byte block} line and the stack; a bad
 * access throws {@link BadAccessException} (nil: Go's nil-dereference panic).
 */
public final class Heap {

    private Heap() {
    }

    /** A zeroed object of type {@code type} (Go's {@code new(T)}). */
    public static long alloc(Type type) {
        return allocArray(type, 1);
    }

    /** A zeroed array of {@code n} elements of type {@code elem} (Go's {@code make([]T, n)} backing array). */
    public static long allocArray(Type elem, long n) {
        G gp = Park.getg(); // one lookup of the running goroutine for the whole allocation
        if (gp.preemptRequested()) {
            Park.checkpoint(); // allocation is a safepoint, as Go's mallocgc is (sysmon's preemption lands here)
        }
        Collector gc = gp.sched().gc;
        if (n > 0) {
            gc.beforeAlloc(gp, elem.size() * n);
        }
        MCache c = gp.mcache(); // after any yield above: the P the goroutine runs on now
        long p;
        try {
            p = Malloc.mallocgc(c, elem, n);
        } catch (ArenaExhaustedException e) {
            throw outOfMemory(e);
        }
        gc.afterAlloc(c);
        return p;
    }

    /** {@code n} zeroed bytes, pointer-free (Go's {@code make([]byte, n)} backing array). */
    public static long allocBytes(long n) {
        return allocArray(Type.BYTE, n);
    }

    /** A zeroed global of type {@code type}, registered as a root of the run (Go's data/BSS variable). */
    public static long global(Type type) {
        MCache c = Park.mcache();
        try {
            return c.heap.newGlobal(c, type);
        } catch (ArenaExhaustedException e) {
            throw outOfMemory(e);
        }
    }

    /** Reads the int64 at {@code obj + off}. */
    public static long loadLong(long obj, long off) {
        return access().loadLong(obj, off);
    }

    /** Writes the int64 at {@code obj + off}. */
    public static void storeLong(long obj, long off, long value) {
        access().storeLong(obj, off, value);
    }

    /** Reads the int32 at {@code obj + off}. */
    public static int loadInt(long obj, long off) {
        return access().loadInt(obj, off);
    }

    /** Writes the int32 at {@code obj + off}. */
    public static void storeInt(long obj, long off, int value) {
        access().storeInt(obj, off, value);
    }

    /** Reads the byte at {@code obj + off}. */
    public static byte loadByte(long obj, long off) {
        return access().loadByte(obj, off);
    }

    /** Writes the byte at {@code obj + off}. */
    public static void storeByte(long obj, long off, byte value) {
        access().storeByte(obj, off, value);
    }

    /** Reads the pointer at {@code obj + off} (0 = nil). */
    public static long loadPointer(long obj, long off) {
        return access().loadPointer(obj, off);
    }

    /** Writes the pointer {@code ptr} at {@code obj + off} through the write barrier. */
    public static void storePointer(long obj, long off, long ptr) {
        access().storePointer(obj, off, ptr);
    }

    private static HeapAccess access() {
        return Park.heap().access();
    }

    /**
     * Ends the run as Go's mheap does when the OS refuses memory: {@code runtime: out of memory: cannot
     * allocate N-byte block (...)} then {@code fatal error: out of memory}. Returns the error to throw.
     */
    private static RuntimeException outOfMemory(ArenaExhaustedException e) {
        // The goroutine's own frames: Thread.currentThread() may name another M on a goroutine.
        String stack = Arrays.stream(new Throwable().getStackTrace())
                .skip(1)
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(...)\n\t" + f.getFileName() + ":"
                        + f.getLineNumber())
                .collect(Collectors.joining("\n"));
        return Park.sched().fatal("out of memory", e.getMessage() + "\n\ngoroutine " + Park.getg().goid()
                + " [running]:\n" + stack);
    }
}
