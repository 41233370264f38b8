package golab.runtime.chan;

import golab.runtime.RuntimePanic;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of a buffered channel's non-blocking operations, checked with Lincheck: {@code trySend}
 * and {@code tryRecv} (Go's {@code select} with {@code default}), {@code close} and {@code len}, from
 * concurrent threads, against a bounded FIFO that can be closed.
 *
 * <p>These are the operations whose fast paths read the channel without its lock (Go's
 * {@code !block && !closed && full(c)} and the empty-and-closed re-check of a non-blocking receive), so
 * they are where a reordering would show. Non-blocking operations never park, which is why plain threads
 * can run them; the blocking paths are covered by the goroutine stress tests.
 */
@Param(name = "value", gen = IntGen.class, conf = "1:9")
public class ChanLinearizabilityTest {

    private static final int CAP = 2;

    private final Chan<Integer> c = Chan.make(CAP);

    @Operation
    public String trySend(@Param(name = "value") int v) {
        try {
            return Boolean.toString(c.trySend(v));
        } catch (RuntimePanic p) {
            return p.getMessage();
        }
    }

    @Operation
    public String tryRecv() {
        Received<Integer> r = c.tryRecv();
        return r == null ? "would block" : r.value() + "," + r.ok();
    }

    @Operation
    public String close() {
        try {
            c.close();
            return "closed";
        } catch (RuntimePanic p) {
            return p.getMessage();
        }
    }

    @Operation
    public int len() {
        return c.len();
    }

    @Test
    void modelChecker() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .addCustomScenario(sendAndCloseRacingAReceive())
                .sequentialSpecification(Model.class)
                .check(ChanLinearizabilityTest.class);
    }

    /**
     * A receive that sees the buffer empty, then the channel closed, while a send and a close happen in
     * between, must not answer "closed": Go re-checks emptiness after seeing closed for exactly this.
     */
    private static ExecutionScenario sendAndCloseRacingAReceive() {
        return new ExecutionScenario(List.of(),
                List.of(List.of(actor("trySend", 1), actor("close")), List.of(actor("tryRecv"))), List.of(), null);
    }

    private static Actor actor(String operation, Object... args) {
        for (var method : ChanLinearizabilityTest.class.getMethods()) {
            if (method.getName().equals(operation)) {
                return new Actor(method, List.of(args));
            }
        }
        throw new IllegalArgumentException(operation);
    }

    @Test
    void realThreads() {
        new StressOptions()
                .iterations(15)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(Model.class)
                .check(ChanLinearizabilityTest.class);
    }

    /** The sequential specification: Go's buffered channel semantics for these operations. */
    public static final class Model {
        private final ArrayDeque<Integer> buf = new ArrayDeque<>();
        private boolean closed;

        public String trySend(int v) {
            if (closed) {
                return "send on closed channel";
            }
            if (buf.size() == CAP) {
                return "false";
            }
            buf.add(v);
            return "true";
        }

        public String tryRecv() {
            if (!buf.isEmpty()) {
                return buf.poll() + ",true";
            }
            return closed ? "null,false" : "would block";
        }

        public String close() {
            if (closed) {
                return "close of closed channel";
            }
            closed = true;
            return "closed";
        }

        public int len() {
            return buf.size();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && closed == m.closed && buf.stream().toList().equals(m.buf.stream().toList());
        }

        @Override
        public int hashCode() {
            return Objects.hash(closed, buf.stream().toList());
        }
    }
}
