package golab.runtime.sync;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of sync.Pool's lock-free deques, checked with Lincheck: one owner pushes and pops at the
 * head, other threads pop at the tail, against a sequential deque.
 *
 * <p>{@link PoolDequeue} is checked with a ring larger than any scenario fills: when full, Go's pushHead may
 * refuse a slot that a tail pop has claimed but not yet cleared, a documented, harmless refusal that a
 * sequential deque cannot express (the pool then grows its chain). {@link PoolChain}, which never refuses,
 * is checked across its growth from 8 slots by scenarios that prefill it.
 */
public class PoolDequeueLinearizabilityTest {

    /** Operations on one bare ring. */
    @Param(name = "value", gen = IntGen.class, conf = "1:99")
    public static class Ring {
        private final PoolDequeue d = new PoolDequeue(16);

        @Operation(nonParallelGroup = "owner")
        public boolean pushHead(@Param(name = "value") int v) {
            return d.pushHead(v);
        }

        @Operation(nonParallelGroup = "owner")
        public Object popHead() {
            return d.popHead();
        }

        @Operation
        public Object popTail() {
            return d.popTail();
        }
    }

    /** Operations on a chain that starts with 7 values, so that a few pushes make it grow. */
    @Param(name = "value", gen = IntGen.class, conf = "100:199")
    public static class Chain {
        private final PoolChain c = new PoolChain();

        public Chain() {
            for (int i = 1; i <= 7; i++) {
                c.pushHead(i);
            }
        }

        @Operation(nonParallelGroup = "owner")
        public boolean pushHead(@Param(name = "value") int v) {
            c.pushHead(v);
            return true;
        }

        @Operation(nonParallelGroup = "owner")
        public Object popHead() {
            return c.popHead();
        }

        @Operation
        public Object popTail() {
            return c.popTail();
        }
    }

    /** The sequential deque both must behave as. */
    public static class Model {
        final ArrayDeque<Integer> items = new ArrayDeque<>();

        public boolean pushHead(int v) {
            items.addFirst(v);
            return true;
        }

        public Object popHead() {
            return items.pollFirst();
        }

        public Object popTail() {
            return items.pollLast();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && List.copyOf(items).equals(List.copyOf(m.items));
        }

        @Override
        public int hashCode() {
            return Objects.hash(List.copyOf(items));
        }
    }

    /** The model for {@link Chain}: the same deque, prefilled like the chain. */
    public static class PrefilledModel extends Model {
        public PrefilledModel() {
            for (int i = 1; i <= 7; i++) {
                items.addFirst(i);
            }
        }
    }

    @Test
    void ringUnderTheModelChecker() {
        modelChecking().sequentialSpecification(Model.class).check(Ring.class);
    }

    @Test
    void chainUnderTheModelChecker() {
        modelChecking().sequentialSpecification(PrefilledModel.class).check(Chain.class);
    }

    @Test
    void ringOnRealThreads() {
        stress().sequentialSpecification(Model.class).check(Ring.class);
    }

    @Test
    void chainOnRealThreads() {
        stress().sequentialSpecification(PrefilledModel.class).check(Chain.class);
    }

    private static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2);
    }

    private static StressOptions stress() {
        return new StressOptions()
                .iterations(15)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(3);
    }
}
