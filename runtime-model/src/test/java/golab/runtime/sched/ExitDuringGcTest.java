package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThatCode;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.heap.Heap;
import golab.runtime.heap.Type;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Runs whose goroutines allocate flat out at GOGC=5, so cycles follow each other and assists park, and whose main
 * returns in the middle of one. Two races showed here, about once in 40 and once in 500 runs: teardown woke the
 * idle Ms and sysmon while a mark worker ending a stop-the-world woke them too ({@code notewakeup - double
 * wakeup}); and a marker that finished the last work while another goroutine was in mark termination's ragged
 * barrier gave up ending the phase, leaving every goroutine parked on an assist with nothing to wake it (a false
 * {@code all goroutines are asleep - deadlock!}).
 */
class ExitDuringGcTest {

    private static final Type NODE = Type.builder("node").pointer("next").scalar("pad", 56).build();

    @RepeatedTest(50)
    void mainReturnsInTheMiddleOfCycles() {
        GoConfig config = GoConfig.defaults().withGomaxprocs(2).withGogc(5).withArenaBytes(256L << 20);
        assertThatCode(() -> GoRuntime.run(config, () -> {
            for (int g = 0; g < 2; g++) {
                Go.go(() -> {
                    while (true) {
                        Heap.alloc(NODE);
                    }
                });
            }
            long global = Heap.global(NODE);
            for (int i = 0; i < 150_000; i++) {
                Heap.storePointer(global, 0, Heap.alloc(NODE));
            }
        })).doesNotThrowAnyException();
    }
}
