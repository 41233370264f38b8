package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoRuntime;
import golab.runtime.chan.Chan;
import golab.runtime.metrics.MetricValue;
import golab.runtime.sched.G;
import golab.runtime.sched.GStatus;
import golab.runtime.sched.Park;
import golab.runtime.sync.WaitGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Goroutine stacks in a run: frames keep their contents while the stack grows by copying, pop in LIFO
 * order, the stack shrinks when mostly unused, the stack limit is Go's fatal error, every goroutine starts
 * with 2 KiB, and dead goroutines' stacks are reused or freed as Go's gfput decides.
 */
@Timeout(300)
class StackTest {

    private static final int KB = 1024;
    private static final GoConfig TWO_PROCS = GoConfig.defaults().withGomaxprocs(2);

    private static long pattern(int frame, int slot) {
        return 0x5EED_0000_0000L + ((long) frame << 16) + slot;
    }

    private static void fill(Frame f, int frame) {
        for (int i = 0; i < f.slots(); i++) {
            if (i % 3 == 0) {
                f.set(i, pattern(frame, i));
            } else {
                f.setLong(i, pattern(frame, i));
            }
        }
    }

    private static void verify(List<Frame> frames) {
        for (int d = 0; d < frames.size(); d++) {
            Frame f = frames.get(d);
            for (int i = 0; i < f.slots(); i++) {
                assertThat(f.get(i)).as("frame %d slot %d", d, i).isEqualTo(pattern(d, i));
                assertThat(f.isPointer(i)).isEqualTo(i % 3 == 0);
            }
        }
    }

    private static long stacksBytes() {
        return ((MetricValue.Uint64) Go.metrics().read("/memory/classes/heap/stacks:bytes")).value();
    }

    @Test
    void framesKeepTheirSlotsAcrossEveryGrowth() {
        GoRuntime.run(TWO_PROCS, () -> {
            Stack st = Park.getg().stack();
            StackAlloc stacks = Park.sched().stacks;
            long scanBefore = stacks.maxStackScan();
            assertThat(st.size()).isEqualTo(2 * KB);
            List<Frame> frames = new ArrayList<>();
            List<Long> sizes = new ArrayList<>(List.of(st.size()));
            for (int d = 0; d < 400; d++) {
                Frame f = Frames.push(37);
                for (int i = 0; i < f.slots(); i++) {
                    assertThat(f.get(i)).as("a new frame is zeroed").isZero();
                }
                fill(f, d);
                frames.add(f);
                if (st.size() != sizes.getLast()) {
                    sizes.add(st.size());
                    verify(frames);
                }
                assertThat(st.size() - st.used()).isGreaterThanOrEqualTo(Stack.STACK_GUARD);
            }
            assertThat(sizes).containsExactly(2L * KB, 4L * KB, 8L * KB, 16L * KB, 32L * KB, 64L * KB, 128L * KB);
            assertThat(st.used()).isEqualTo(400 * 37 * 8);
            assertThat(stacks.maxStackScan() - scanBefore).isEqualTo(128 * KB - 2 * KB);
            List<Long> roots = new ArrayList<>();
            st.scanFrames(roots::add);
            assertThat(roots).hasSize(400 * 13).contains(pattern(0, 0), pattern(399, 36)).doesNotContain(pattern(0, 1));
            for (int d = frames.size() - 1; d >= 0; d--) {
                frames.get(d).close();
            }
            assertThat(st.used()).isZero();
        });
    }

    @Test
    void aBigLocalArrayKeepsItsBytesAcrossGrowth() {
        GoRuntime.run(TWO_PROCS, () -> {
            Stack st = Park.getg().stack();
            try (Frame array = Frames.push(2000)) {
                for (int b = 0; b < 16_000; b++) {
                    array.putByte(b, (byte) (b * 7));
                }
                long size = st.size();
                try (Frame more = Frames.push(4000)) {
                    more.setLong(3999, 42);
                    assertThat(st.size()).isGreaterThan(size);
                    for (int b = 0; b < 16_000; b++) {
                        assertThat(array.getByte(b)).isEqualTo((byte) (b * 7));
                    }
                    assertThat(more.get(3999)).isEqualTo(42);
                }
                assertThatThrownBy(() -> array.getByte(16_000)).isInstanceOf(IndexOutOfBoundsException.class);
            }
        });
    }

    @Test
    void framesPopLastInFirstOut() {
        GoRuntime.run(TWO_PROCS, () -> {
            Stack st = Park.getg().stack();
            Frame outer = Frames.push(4);
            Frame inner = Frames.push(4);
            assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("frame popped out of order");
            inner.close();
            outer.close();
            assertThat(st.used()).isZero();
            assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("already popped");
            assertThatThrownBy(() -> outer.get(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used after it was popped");
            try (Frame f = Frames.push(2)) {
                assertThatThrownBy(() -> f.set(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            }
        });
    }

    @Test
    void aStackShrinksByHalvesOnceMostlyUnused() {
        GoRuntime.run(TWO_PROCS, () -> {
            G self = Park.getg();
            Stack st = self.stack();
            try (Frame big = Frames.push(7000)) {
                big.setLong(0, 1);
                assertThat(st.size()).isEqualTo(64 * KB);
                assertThat(Stack.shrinkstack(self)).as("56 000 of 64 KiB used").isFalse();
            }
            List<Frame> kept = new ArrayList<>();
            Frame small = Frames.push(100);
            fill(small, 0);
            kept.add(small);
            List<Long> sizes = new ArrayList<>();
            while (Stack.shrinkstack(self)) {
                sizes.add(st.size());
                verify(kept);
            }
            // At 4 KiB, 800 bytes used + Go's stackNosplit (800) is not below a quarter: it stays.
            assertThat(sizes).containsExactly(32L * KB, 16L * KB, 8L * KB, 4L * KB);
            small.close();
            assertThat(Stack.shrinkstack(self)).isTrue();
            assertThat(st.size()).isEqualTo(2 * KB);
            assertThat(Stack.shrinkstack(self)).as("never below 2 KiB").isFalse();
        });
    }

    @Test
    void aParkedGoroutinesStackIsShrunkUnderItsFrames() {
        GoRuntime.run(TWO_PROCS, () -> {
            Chan<Integer> wake = Chan.make();
            Chan<Boolean> done = Chan.make();
            AtomicReference<G> parked = new AtomicReference<>();
            Go.go(() -> {
                parked.set(Park.getg());
                try (Frame big = Frames.push(1500)) {
                    big.setLong(0, 1);
                }
                try (Frame f = Frames.push(10)) {
                    fill(f, 0);
                    wake.recv();
                    verify(List.of(f));
                }
                done.send(true);
            });
            while (parked.get() == null || parked.get().status() != GStatus.WAITING) {
                Go.gosched();
            }
            G gp = parked.get();
            assertThat(gp.stack().size()).isEqualTo(16 * KB);
            while (Stack.shrinkstack(gp)) {
                Go.checkpoint();
            }
            assertThat(gp.stack().size()).isEqualTo(2 * KB);
            wake.send(1);
            assertThat(done.recv()).isTrue();
        });
    }

    @Test
    void growingPastTheLimitIsGosFatalError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GoConfig config = TWO_PROCS.withStderr(new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThatThrownBy(() -> GoRuntime.run(config, () -> {
            Park.sched().stacks.setMaxStack(64 * KB);
            pushForever();
        })).isInstanceOfSatisfying(GoFatalError.class, e -> {
            assertThat(e.fatalMessage()).isEqualTo("stack overflow");
            assertThat(e.report()).startsWith("fatal error: stack overflow\n\ngoroutine 1 [running]:\n")
                    .contains("golab.runtime.heap.StackTest.pushForever(...)");
        });
        assertThat(err.toString(StandardCharsets.UTF_8))
                .containsPattern("runtime: goroutine stack exceeds 65536-byte limit\nruntime: sp=0x[0-9a-f]+ stack=\\[0x[0-9a-f]+, 0x[0-9a-f]+]\n");
    }

    private static void pushForever() {
        List<Frame> frames = new ArrayList<>();
        while (true) {
            frames.add(Frames.push(100));
        }
    }

    @Test
    void theDefaultLimitIsGosBillionBytes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GoConfig config = TWO_PROCS.withStderr(new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThatThrownBy(() -> GoRuntime.run(config, () -> Frames.push(130_000_000)))
                .isInstanceOfSatisfying(GoFatalError.class, e -> assertThat(e.fatalMessage()).isEqualTo("stack overflow"));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("runtime: goroutine stack exceeds 1000000000-byte limit\n");
    }

    @Test
    void aMillionParkedGoroutinesHoldTwoKibibytesEach() {
        int n = 1_000_000;
        GoRuntime.run(TWO_PROCS, () -> {
            StackAlloc stacks = Park.sched().stacks;
            Chan<Integer> release = Chan.make();
            WaitGroup started = new WaitGroup();
            WaitGroup exited = new WaitGroup();
            started.add(n);
            exited.add(n);
            for (int i = 0; i < n; i++) {
                Go.go(() -> {
                    started.done();
                    release.recv();
                    exited.done();
                });
            }
            started.await();
            long live = Go.numGoroutine();
            assertThat(live).isEqualTo(n + 1);
            long bytes = stacksBytes();
            assertThat(bytes).as("stacks:bytes for %d goroutines", live)
                    .isBetween(2L * KB * live, 2L * KB * live + 2 * 4 * 32 * KB + 4 * 32 * KB);
            assertThat(stacks.maxStackScan()).isEqualTo(2L * KB * live);
            release.close();
            exited.await();
            while (Go.numGoroutine() > 1) {
                Go.gosched();
            }
            assertThat(stacks.maxStackScan()).isEqualTo(2L * KB);
            assertThat(stacksBytes()).as("dead Gs keep their 2 KiB stacks").isEqualTo(bytes);

            WaitGroup again = new WaitGroup();
            again.add(n);
            for (int i = 0; i < n; i++) {
                Go.go(() -> {
                    try (Frame f = Frames.push(8)) {
                        f.setLong(7, 7);
                    }
                    again.done();
                });
            }
            again.await();
            // A new G (and stack) is made only when this P's and the global free lists are empty while the
            // other P's list holds its last few dead Gs: at most 2 Ps x 64 Gs x 2 KiB, nothing like 2 GB.
            assertThat(stacksBytes() - bytes).as("reused Gs bring their stacks").isBetween(0L, 2L * 64 * 2 * KB);
        });
    }

    @Test
    void aGrownStackIsFreedWhenItsGoroutineExits() {
        GoRuntime.run(TWO_PROCS, () -> {
            StackAlloc stacks = Park.sched().stacks;
            Chan<Integer> hold = Chan.make();
            Chan<Boolean> done = Chan.make();
            long scanBefore = stacks.maxStackScan();
            Go.go(() -> {
                try (Frame big = Frames.push(7000)) {
                    big.setLong(0, 1);
                    hold.recv();
                }
                done.send(true);
            });
            hold.send(1); // the goroutine has grown to 64 KiB and keeps that stack until it exits
            long peak = stacksBytes();
            assertThat(done.recv()).isTrue();
            while (Go.numGoroutine() > 1) {
                Go.gosched();
            }
            assertThat(peak - stacksBytes()).as("the 64 KiB stack went back to the heap").isEqualTo(64 * KB);
            assertThat(stacks.maxStackScan()).isEqualTo(scanBefore);
        });
    }
}
