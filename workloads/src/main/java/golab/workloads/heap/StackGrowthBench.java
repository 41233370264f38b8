package golab.workloads.heap;

import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.heap.Frame;
import golab.runtime.heap.Frames;
import golab.workloads.SideBySide;
import golab.workloads.VirtualThreads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The note's "stack growth by copying has a cost that a workload with large stack frames makes visible":
 * a fresh goroutine whose call chain needs 64 KiB of stack, next to the same call chain on a fresh
 * virtual thread.
 *
 * <p>Per operation, main starts a goroutine that calls {@value #DEPTH} nested functions, each with a
 * frame of {@code frameBytes} bytes, and sends a byte computed from its frames back on an unbuffered
 * channel; main receives it (a direct hand-off: main is parked on the receive). The score is wall time
 * per goroutine: create + run + exit + the hand-offs, and with 4 KiB frames the growth.
 * <ul>
 * <li>{@code golabStackGrowth}: each frame is a {@link Frames#push} of {@code frameBytes / 8} slots
 *     (zeroed, like the prologue of a Go function with a local array), one byte written and read back.
 *     Sixteen 4 KiB frames need 64 KiB plus Go's 928-byte stack guard, so the stack grows
 *     2 → 4 → 8 → 16 → 32 → 64 → 128 KiB: six {@code morestack}/{@code copystack}s, each allocating the
 *     doubled stack, copying the frames in use (2 + 4 + ... + 64 KiB at most, about 126 KiB in total in
 *     the worst case, less as each copy holds only the used part) and freeing the old one. When the
 *     goroutine exits its 128 KiB stack is freed (gfput keeps only starting-size stacks), so the next
 *     goroutine starts at 2 KiB again and pays the growth again.</li>
 * <li>{@code virtualThreadsStackGrowth}: the same nesting on a fresh virtual thread started and joined
 *     per operation by a "main" virtual thread, each frame allocating {@code new byte[frameBytes]}.
 *     This is not the same mechanism and the comparison says so: a JVM frame cannot hold a 4 KiB array
 *     (escape analysis scalar-replaces only arrays of up to 64 elements), so the arrays are TLAB
 *     allocations and the JVM's young GC reclaims them; and a virtual thread's frames live on its
 *     carrier's native stack while it runs — a stack reserved once, in full, whose pages are faulted in
 *     once and reused — so depth costs nothing to grow and nothing is ever copied for it. (A virtual
 *     thread copies frames only when it unmounts: a park freezes them into heap stack chunks, lazily.
 *     This one never parks inside the recursion.) So the two rows answer: what does a runtime with
 *     small, growable, contiguous stacks pay for a deep call chain, against a runtime whose thread
 *     stacks are big up front.</li>
 * </ul>
 * {@code frameBytes = 0} is the baseline: the same 16 calls with empty frames, no growth, no arrays; the
 * difference between the two rows of a side is what the 64 KiB costs.
 *
 * <p>The fork's Java heap is fixed and pre-touched ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}): the virtual
 * threads' 64 KiB of arrays per operation (128 MB per invocation) otherwise grow the heap into memory the
 * kernel has never mapped, and first touches are slow on this VM (see {@link golab.workloads.chan.PoolBench}):
 * without it that row scattered from 9 to 330 µs per iteration.
 *
 * <p><b>What was measured</b> (ns per goroutine, gomaxprocs=1): golab 766 (empty frames) and 3 801 (4 KiB
 * frames), so growth from 2 to 128 KiB costs golab about 3.0 µs; virtual threads 552 and 3 775 (3.2 µs for
 * 64 KiB of heap arrays and their young collections, no stack copy); real Go 1.19
 * ({@code workloads/go/alloc}, BenchmarkStackGrowth, {@code var a [4096]byte} locals kept on the stack)
 * 485 and 10 268, about 9.8 µs of growth on this VM. With gomaxprocs=2 golab's rows rise (716 and 7 075):
 * the new goroutine goes to runnext, but an idle P's spinning M is woken and hand-offs cross threads.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class StackGrowthBench extends SideBySide {

    /** Goroutines per invocation. */
    static final int OPS = 2000;
    /** Nested calls per goroutine. */
    static final int DEPTH = 16;

    /** Bytes of each of the {@value #DEPTH} frames: 0 (baseline) or 4096 (64 KiB in all). */
    @Param({"0", "4096"})
    public int frameBytes;

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void golabStackGrowth(Blackhole bh) {
        int slots = frameBytes / 8;
        golab.call(() -> {
            Chan<Byte> done = Chan.make();
            int sum = 0;
            for (int i = 0; i < OPS; i++) {
                Go.go(() -> done.send(golabFrames(DEPTH - 1, slots)));
                sum += done.recv();
            }
            bh.consume(sum);
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void virtualThreadsStackGrowth(Blackhole bh) {
        int bytes = frameBytes;
        VirtualThreads.runInVirtualThread(() -> {
            byte[] result = new byte[1];
            Runnable task = () -> result[0] = javaFrames(DEPTH - 1, bytes);
            int sum = 0;
            for (int i = 0; i < OPS; i++) {
                Thread t = Thread.ofVirtual().start(task);
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                sum += result[0];
            }
            bh.consume(sum);
        });
    }

    /**
     * Go's {@code frame4k}: a frame of {@code slots} 8-byte slots on the goroutine's model stack, one byte
     * written and read back, then the next call. Frames pushes (and grows the stack) in its prologue.
     */
    static byte golabFrames(int depth, int slots) {
        try (Frame f = Frames.push(slots)) {
            int bytes = 8 * slots;
            if (bytes > 0) {
                f.putByte(depth & (bytes - 1), (byte) depth);
            }
            if (depth == 0) {
                return bytes > 0 ? f.getByte(0) : 0;
            }
            byte mine = bytes > 0 ? f.getByte((depth * 7) & (bytes - 1)) : (byte) depth;
            return (byte) (mine + golabFrames(depth - 1, slots));
        }
    }

    /** The same on the JVM: the 4 KiB "local" array is a heap array (see the class comment). */
    static byte javaFrames(int depth, int bytes) {
        if (bytes == 0) {
            return depth == 0 ? 0 : (byte) (depth + javaFrames(depth - 1, 0));
        }
        byte[] a = new byte[bytes];
        a[depth & (bytes - 1)] = (byte) depth;
        if (depth == 0) {
            return a[0];
        }
        return (byte) (a[(depth * 7) & (bytes - 1)] + javaFrames(depth - 1, bytes));
    }
}
