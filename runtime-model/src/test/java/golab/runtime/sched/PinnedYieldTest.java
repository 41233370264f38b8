package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoRuntime;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A goroutine that tries to yield with a native frame on its stack (here: inside a libc {@code qsort}
 * comparator upcall) cannot be unmounted by the JVM. The run must fail saying so, with the goroutine's
 * stack, instead of carrying on as if the goroutine had parked.
 */
@Timeout(60)
class PinnedYieldTest {

    @Test
    void yieldThroughANativeFrameIsReportedWithTheGoroutineStack() throws Throwable {
        assertThatThrownBy(() -> GoRuntime.run(GoConfig.defaults().withGomaxprocs(1), PinnedYieldTest::sortNatively))
                .isInstanceOfSatisfying(GoFatalError.class, e -> {
                    assertThat(e.fatalMessage()).startsWith("goroutine 1 cannot yield: its continuation is pinned (NATIVE)");
                    assertThat(e.report()).contains("golab.runtime.sched.PinnedYieldTest.compare(...)");
                    assertThat(e.report()).contains("golab.runtime.sched.PinnedYieldTest.sortNatively(...)");
                });
    }

    private static void sortNatively() {
        Linker linker = Linker.nativeLinker();
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS));
            MethodHandle compare = MethodHandles.lookup().findStatic(PinnedYieldTest.class, "compare",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
            FunctionDescriptor compareDesc = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT),
                    ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT));
            MemorySegment comparator = linker.upcallStub(compare, compareDesc, arena);
            MemorySegment ints = arena.allocateFrom(ValueLayout.JAVA_INT, 3, 1, 2);
            qsort.invokeExact(ints, 3L, 4L, comparator);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int compare(MemorySegment a, MemorySegment b) {
        Go.gosched(); // a safepoint inside native code: the continuation is pinned
        return Integer.compare(a.get(ValueLayout.JAVA_INT, 0), b.get(ValueLayout.JAVA_INT, 0));
    }
}
