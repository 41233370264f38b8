package golab.workloads.lab;

import golab.runtime.Go;
import golab.runtime.heap.Frame;
import golab.runtime.heap.Frames;
import golab.runtime.sync.WaitGroup;
import golab.workloads.Workload;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * Goroutine stacks that start small and grow by copying, the seed note's claim (DESIGN.md: "goroutines cost
 * ~2 KiB of stack ...; stack growth by copying has a cost that a workload with large stack frames makes
 * visible").
 *
 * <p>Each invocation, the main goroutine starts {@value #GOROUTINES} goroutines at once and waits for them.
 * Each calls {@code depth} nested functions whose frames hold a local array of {@code frameBytes} bytes
 * ({@link Frames#push}, zeroed like a Go prologue's locals). Every goroutine starts on a 2 KiB stack; a frame
 * that does not fit above Go's 928-byte guard makes {@code morestack} double the stack (several times if
 * needed) and copy the frames in use to the new one. With {@code depth=16} and 1 KiB frames a goroutine
 * grows 2 → 4 → 8 → 16 → 32 KiB, four copies; {@code frameBytes=0} is the baseline with the same calls and
 * no growth, so the difference between the two rows is what growing costs. The score is the time per
 * goroutine: create, run, grow, exit (a grown stack is freed on exit; only 2 KiB stacks are kept for reuse).
 *
 * <p>Where to look besides the score: {@code metrics.json} has {@code /memory/classes/heap/stacks:bytes}
 * (stack memory held at the end of each iteration) and {@code /gc/scan/stack:bytes}; the gctrace lines give
 * "MB stacks" per cycle, stack bytes counting in the heap goal as in Go 1.18+.
 *
 * <p>The check is the point of copying: every frame writes a marker at both ends of its array before the
 * deeper calls (which grow and move the stack under it) and reads them back after they return. A frame that
 * lost its contents in a copy, or a goroutine that did not finish, fails the benchmark.
 */
public class DeepStacks extends Workload {

    /** Goroutines per invocation, all alive at once. */
    static final int GOROUTINES = 256;

    /** Bytes of the local array in each frame: a multiple of 8 (slots), 0 for the no-growth baseline. */
    @Param({"0", "1024"})
    public int frameBytes;

    /** Nested calls per goroutine. */
    @Param({"16"})
    public int depth;

    @Override
    protected void setUpTrial() {
        if (frameBytes < 0 || frameBytes % 8 != 0 || depth < 1) {
            throw new IllegalArgumentException("frameBytes=" + frameBytes + ", depth=" + depth + ": frameBytes must "
                    + "be a non-negative multiple of 8 and depth at least 1");
        }
    }

    @Benchmark
    @OperationsPerInvocation(GOROUTINES)
    public void grow() {
        int slots = frameBytes / 8;
        golab.call(() -> {
            AtomicLong frames = new AtomicLong();
            WaitGroup wg = new WaitGroup();
            wg.add(GOROUTINES);
            for (int g = 0; g < GOROUTINES; g++) {
                byte marker = (byte) g;
                Go.go(() -> {
                    frames.addAndGet(call(depth, slots, marker));
                    wg.done();
                });
            }
            wg.await();
            if (frames.get() != (long) GOROUTINES * depth) {
                throw new IllegalStateException(frames.get() + " frames returned intact of " + GOROUTINES * depth);
            }
        });
    }

    /**
     * A function with a {@code slots}-slot local array that calls itself {@code depth - 1} more times; returns
     * the number of frames whose markers survived the deeper calls.
     */
    private static long call(int depth, int slots, byte marker) {
        try (Frame f = Frames.push(slots)) {
            byte mine = (byte) (marker ^ depth);
            long last = 8L * slots - 1;
            if (slots > 0) {
                f.putByte(0, mine);
                f.putByte(last, mine);
            }
            long deeper = depth > 1 ? call(depth - 1, slots, marker) : 0;
            if (slots > 0 && (f.getByte(0) != mine || f.getByte(last) != mine)) {
                throw new IllegalStateException("a frame at depth " + depth + " lost its contents when the stack "
                        + "was copied");
            }
            return deeper + 1;
        }
    }
}
