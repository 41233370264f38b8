package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.util.LincheckResult;
import org.jetbrains.kotlinx.lincheck.util.ValueResult;
import org.jetbrains.kotlinx.lincheck.util.VoidResult;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.verifier.CachedVerifier;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link RunQueue}, checked with Lincheck, both by its model checker (which explores
 * thread interleavings systematically, on sequentially consistent memory) and in stress mode (real threads).
 * One thread is the owner and puts (with and without {@code next}), gets, drains its queue and empties the
 * global queue; the others steal, with and without {@code stealRunNext}; the queue starts empty, or with a full ring so that
 * puts overflow while thieves steal. Every history must be explained by {@link Model}: a runnext slot in front
 * of a FIFO ring of 256 which, when full, moves its oldest 128 Gs and the new G to the global queue; a
 * steal takes the older half of the ring rounded up, or runnext when asked and the ring is empty.
 *
 * <p>The run queue is not linearizable in the strict sense, and neither is Go's, for two reasons the model
 * has to allow (both shown by the {@code standardVerifierRejects...} tests, both benign: no G is lost or
 * duplicated). A put(next=true) replaces runnext and then appends the G it displaced to the ring: a thief
 * in between sees an empty ring and takes the new runnext. A thief reads the ring, finds it empty, and only
 * then reads runnext: by then the owner may have moved runnext to the ring and run its replacement, and the
 * thief comes back empty-handed from a queue that was never empty. So {@link TwoStepVerifier} searches for
 * linearizations (Wing and Gong) in which those two operations may take effect in two steps, both within
 * their interval.
 *
 * <p>Emptying the global queue is an owner operation because an overflowing put takes Gs out of the ring
 * before it adds them to the global queue: a concurrent reader of the global queue would see them nowhere.
 * In the scheduler that only delays their being found, as in Go.
 */
class RunQueueLinearizabilityTest {

    @Test
    void emptyQueueUnderTheModelChecker() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(30)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .addCustomScenario(putRacingARunnextSteal())
                .addCustomScenario(putAndGetRacingARunnextSteal())
                .addCustomScenario(drainRacingASteal())
                .verifier(TwoStepVerifier.class)
                .check(EmptyQueue.class);
    }

    /** Only the scenario below: interleavings of 128-G copies are costly to explore (random ones run on real threads). */
    @Test
    void fullRingUnderTheModelChecker() {
        new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(30)
                .loopBound(2 * RunQueue.SIZE) // grab copies 128 Gs: a long loop, not a livelock
                .addCustomScenario(putIntoSlotsFreedByASteal())
                .verifier(TwoStepVerifier.class)
                .check(FullRing.class);
    }

    /** Real threads: also the reorderings of opaque and acquire/release accesses the model checker never makes. */
    @Test
    void emptyQueueOnRealThreads() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .verifier(TwoStepVerifier.class)
                .check(EmptyQueue.class);
    }

    @Test
    void fullRingOnRealThreads() {
        new StressOptions()
                .iterations(3)
                .invocationsPerIteration(1000)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(2)
                .verifier(TwoStepVerifier.class)
                .check(FullRing.class);
    }

    @Test
    void standardVerifierRejectsAStealOfRunnextDuringItsDisplacement() {
        assertStrictlyNonLinearizable(putRacingARunnextSteal());
    }

    @Test
    void standardVerifierRejectsAStealThatMissesAMovingRunnext() {
        assertStrictlyNonLinearizable(putAndGetRacingARunnextSteal());
    }

    private static void assertStrictlyNonLinearizable(ExecutionScenario scenario) {
        var strictCheck = new ModelCheckingOptions()
                .iterations(0)
                .addCustomScenario(scenario)
                .sequentialSpecification(Model.class);
        assertThatThrownBy(() -> strictCheck.check(EmptyQueue.class))
                .isInstanceOf(LincheckAssertionError.class)
                .hasMessageContaining("Invalid execution results");
    }

    /** Runnext holds g1; the owner puts g2 as runnext, displacing g1, while a thief steals runnext. */
    private static ExecutionScenario putRacingARunnextSteal() {
        return scenario(List.of(put(true)), List.of(put(true)), List.of(get(), get()));
    }

    /** As {@link #putRacingARunnextSteal}, and the owner then runs g2 from runnext. */
    private static ExecutionScenario putAndGetRacingARunnextSteal() {
        return scenario(List.of(put(true)), List.of(put(true), get()), List.of(get()));
    }

    /** Three Gs in the ring and one in runnext; the owner drains while a thief steals: each G leaves exactly once. */
    private static ExecutionScenario drainRacingASteal() {
        return new ExecutionScenario(List.of(put(false), put(false), put(false), put(true)),
                List.of(List.of(actor("drain")), List.of(actor("steal", false))), List.of(get()), null);
    }

    /**
     * On a full ring, a thief takes the older half while the owner puts: the owner reuses the slots the
     * thief frees, so the thief must have copied them before releasing them.
     */
    private static ExecutionScenario putIntoSlotsFreedByASteal() {
        return scenario(List.of(), List.of(put(false), put(false)), List.of(actor("takeGlobal"), get()));
    }

    /** The owner's operations in parallel with one {@code steal(true)}. */
    private static ExecutionScenario scenario(List<Actor> before, List<Actor> owner, List<Actor> after) {
        return new ExecutionScenario(before, List.of(owner, List.of(actor("steal", true))), after, null);
    }

    private static Actor put(boolean next) {
        return actor("put", next);
    }

    private static Actor get() {
        return actor("get");
    }

    private static Actor actor(String operation, Object... args) {
        for (var method : Operations.class.getMethods()) {
            if (method.getName().equals(operation)) {
                return new Actor(method, List.of(args));
            }
        }
        throw new IllegalArgumentException(operation);
    }

    /** Gs queued before the operations run: none, or a full ring so that the next put to it overflows. */
    static int prefill(Class<?> scenario) {
        return scenario == FullRing.class ? RunQueue.SIZE : 0;
    }

    /** The operations Lincheck runs against a real run queue; Gs are numbered in the order they are put. */
    public abstract static class Operations {
        private final RuntimeLock schedLock = new RuntimeLock();
        private final GlobalRunQueue global = new GlobalRunQueue(schedLock);
        private final P owner = new P(0, null, global);
        private final M ownerM = new M(null, 0, null, false);
        private long nextGoid = 1;

        Operations() {
            // A running owner makes a thief back off before taking runnext, as in the scheduler.
            owner.status = PStatus.RUNNING;
            for (int i = prefill(getClass()); i > 0; i--) {
                put(false);
            }
        }

        @Operation(nonParallelGroup = "owner")
        public void put(boolean next) {
            G gp = new G(null);
            gp.goid = nextGoid++;
            owner.runq.put(gp, next);
        }

        @Operation(nonParallelGroup = "owner")
        public String get() {
            G gp = owner.runq.get(ownerM);
            return gp == null ? "empty" : describeGet(gp.goid, ownerM.inheritTime);
        }

        /** Steals into a fresh thief queue; returns the stolen goids in queue order (the G to run last). */
        @Operation
        public List<Long> steal(boolean stealRunNext) {
            RunQueue thief = new P(1, null, global).runq;
            G toRun = thief.steal(owner.runq, stealRunNext);
            List<Long> stolen = new ArrayList<>();
            for (G gp : thief.drain()) {
                stolen.add(gp.goid);
            }
            if (toRun != null) {
                stolen.add(toRun.goid);
            }
            return stolen;
        }

        /** Empties the queue as a preempted dedicated mark worker does; returns runnext, then the ring in order. */
        @Operation(nonParallelGroup = "owner")
        public List<Long> drain() {
            List<Long> drained = new ArrayList<>();
            for (G gp : owner.runq.drain()) {
                drained.add(gp.goid);
            }
            return drained;
        }

        @Operation(nonParallelGroup = "owner")
        public List<Long> takeGlobal() {
            List<Long> taken = new ArrayList<>();
            schedLock.lock();
            try {
                for (G gp; (gp = global.get(owner, 1, 1)) != null; ) {
                    taken.add(gp.goid);
                }
            } finally {
                schedLock.unlock();
            }
            return taken;
        }
    }

    /** The run queue starts empty. */
    public static final class EmptyQueue extends Operations {
    }

    /** The run queue starts with a full ring: the next put to the ring overflows. */
    public static final class FullRing extends Operations {
    }

    static String describeGet(long goid, boolean fromRunnext) {
        return "g" + goid + (fromRunnext ? " from runnext" : "");
    }

    /**
     * The sequential specification. Two operations may take effect in two steps, the second at any later
     * point of their interval ({@link SecondStep}): a put(next=true) that displaces runnext (first runnext is
     * replaced, then the displaced G is appended to the ring), and a steal with stealRunNext that finds the
     * ring empty (runnext is looked at later, by then possibly emptied or replaced). The public methods, with
     * the signatures of {@link Operations}, take both steps at once: the strict specification.
     */
    public static final class Model {
        private Long runnext;
        private final ArrayDeque<Long> ring = new ArrayDeque<>();
        private final ArrayDeque<Long> global = new ArrayDeque<>();
        private long nextGoid = 1;

        public Model() {
        }

        Model(int prefill) {
            for (int i = 0; i < prefill; i++) {
                put(false);
            }
        }

        Model copy() {
            Model m = new Model();
            m.runnext = runnext;
            m.ring.addAll(ring);
            m.global.addAll(global);
            m.nextGoid = nextGoid;
            return m;
        }

        /** What an operation still has to do after its first step. */
        sealed interface SecondStep {
            Object takeEffect(Model model);
        }

        /** put(next=true) made a new G runnext and has yet to append the one it displaced. */
        record AppendDisplaced(long gp) implements SecondStep {
            @Override
            public Object takeEffect(Model model) {
                model.putRing(gp);
                return VoidResult.INSTANCE;
            }
        }

        /** steal(stealRunNext=true) found the ring empty and has yet to look at runnext. */
        record TakeRunnext() implements SecondStep {
            @Override
            public Object takeEffect(Model model) {
                List<Long> stolen = new ArrayList<>();
                if (model.runnext != null) {
                    stolen.add(model.runnext);
                    model.runnext = null;
                }
                return stolen;
            }
        }

        /** Takes the first step of {@code actor}: returns its result, or the {@link SecondStep} it owes. */
        Object firstStep(Actor actor) {
            return switch (actor.getMethod().getName()) {
                case "put" -> startPut((Boolean) actor.getArguments().getFirst());
                case "get" -> get();
                case "steal" -> startSteal((Boolean) actor.getArguments().getFirst());
                case "takeGlobal" -> takeGlobal();
                case "drain" -> drain();
                default -> throw new IllegalArgumentException("unknown operation " + actor);
            };
        }

        /** Applies {@code actor} atomically; returns its result. */
        Object apply(Actor actor) {
            return completeAtOnce(firstStep(actor));
        }

        public void put(boolean next) {
            completeAtOnce(startPut(next));
        }

        public String get() {
            if (runnext != null) {
                long gp = runnext;
                runnext = null;
                return describeGet(gp, true);
            }
            Long gp = ring.poll();
            return gp == null ? "empty" : describeGet(gp, false);
        }

        @SuppressWarnings("unchecked")
        public List<Long> steal(boolean stealRunNext) {
            return (List<Long>) completeAtOnce(startSteal(stealRunNext));
        }

        public List<Long> drain() {
            List<Long> drained = new ArrayList<>();
            if (runnext != null) {
                drained.add(runnext);
                runnext = null;
            }
            drained.addAll(ring);
            ring.clear();
            return drained;
        }

        public List<Long> takeGlobal() {
            List<Long> taken = new ArrayList<>(global);
            global.clear();
            return taken;
        }

        private Object startPut(boolean next) {
            long gp = nextGoid++;
            if (!next) {
                putRing(gp);
                return VoidResult.INSTANCE;
            }
            Long displaced = runnext;
            runnext = gp;
            return displaced == null ? VoidResult.INSTANCE : new AppendDisplaced(displaced);
        }

        /** Appends to the ring; a full ring first moves its older half and then {@code gp} to the global queue. */
        private void putRing(long gp) {
            if (ring.size() < RunQueue.SIZE) {
                ring.add(gp);
                return;
            }
            for (int i = 0; i < RunQueue.SIZE / 2; i++) {
                global.add(ring.poll());
            }
            global.add(gp);
        }

        /** Takes the older half of the ring, rounded up; an empty ring leads to runnext if asked. */
        private Object startSteal(boolean stealRunNext) {
            if (ring.isEmpty() && stealRunNext) {
                return new TakeRunnext();
            }
            List<Long> stolen = new ArrayList<>();
            for (int n = ring.size() - ring.size() / 2; n > 0; n--) {
                stolen.add(ring.poll());
            }
            return stolen;
        }

        private Object completeAtOnce(Object effect) {
            return effect instanceof SecondStep second ? second.takeEffect(this) : effect;
        }

        @Override
        public String toString() {
            return runnext + "|" + ring + "|" + global + "|" + nextGoid;
        }
    }

    /**
     * Lincheck verifier: a depth-first search over the orders in which the parallel operations can take
     * effect (Wing and Gong), memoizing visited states. An operation may start taking effect only once every
     * operation that completed before it started has taken its full effect; the two operations of
     * {@link Model} that have a second step may take it at any later point before they complete.
     */
    public static final class TwoStepVerifier extends CachedVerifier {
        private final int prefill;

        public TwoStepVerifier(Class<?> scenario) {
            this.prefill = prefill(scenario);
        }

        @Override
        public boolean verifyResultsImpl(ExecutionScenario scenario, ExecutionResult result) {
            Model model = new Model(prefill);
            if (!runSequentially(model, scenario.getInitExecution(), result.getInitResults())) {
                return false;
            }
            List<List<Actor>> actors = scenario.getParallelExecution();
            List<List<ResultWithClock>> results = result.getParallelResultsWithClock();
            var search = new Search(actors, results, scenario.getPostExecution(), result.getPostResults());
            return search.explore(model, new int[actors.size()], new Model.SecondStep[actors.size()]);
        }

        private static boolean runSequentially(Model model, List<Actor> actors, List<LincheckResult> results) {
            for (int i = 0; i < actors.size(); i++) {
                if (!Objects.equals(model.apply(actors.get(i)), valueOf(results.get(i)))) {
                    return false;
                }
            }
            return true;
        }

        private static Object valueOf(LincheckResult result) {
            return result instanceof ValueResult value ? value.getValue() : result;
        }

        private record Search(List<List<Actor>> actors, List<List<ResultWithClock>> results, List<Actor> postActors,
                List<LincheckResult> postResults, Set<String> visited) {

            Search(List<List<Actor>> actors, List<List<ResultWithClock>> results, List<Actor> postActors,
                    List<LincheckResult> postResults) {
                this(actors, results, postActors, postResults, new HashSet<>());
            }

            /**
             * Whether the rest of the history can be explained from {@code model}, where thread t has completed
             * {@code done[t]} operations and {@code pending[t]} is the second step its current one still owes.
             */
            boolean explore(Model model, int[] done, Model.SecondStep[] pending) {
                if (allDone(done)) {
                    return runSequentially(model.copy(), postActors, postResults);
                }
                if (!visited.add(Arrays.toString(done) + Arrays.toString(pending) + model)) {
                    return false;
                }
                for (int t = 0; t < done.length; t++) {
                    if (done[t] < actors.get(t).size() && step(model, done, pending, t)) {
                        return true;
                    }
                }
                return false;
            }

            /** Lets the current operation of thread {@code t} take its effect, or its next step, now. */
            private boolean step(Model model, int[] done, Model.SecondStep[] pending, int t) {
                ResultWithClock observed = results.get(t).get(done[t]);
                Model next = model.copy();
                Object result;
                if (pending[t] != null) {
                    result = pending[t].takeEffect(next);
                } else if (startedAfterAllCompleted(observed, done)) {
                    Object effect = next.firstStep(actors.get(t).get(done[t]));
                    if (effect instanceof Model.SecondStep second) {
                        return explore(next, done, withPending(pending, t, second));
                    }
                    result = effect;
                } else {
                    return false;
                }
                if (!Objects.equals(result, valueOf(observed.getResult()))) {
                    return false;
                }
                int[] nextDone = done.clone();
                nextDone[t]++;
                return explore(next, nextDone, withPending(pending, t, null));
            }

            /** Whether every operation that had completed when this one started has completed in the order. */
            private static boolean startedAfterAllCompleted(ResultWithClock observed, int[] done) {
                for (int t = 0; t < done.length; t++) {
                    if (observed.getClockOnStart().get(t) > done[t]) {
                        return false;
                    }
                }
                return true;
            }

            private boolean allDone(int[] done) {
                for (int t = 0; t < done.length; t++) {
                    if (done[t] < actors.get(t).size()) {
                        return false;
                    }
                }
                return true;
            }

            private static Model.SecondStep[] withPending(Model.SecondStep[] pending, int t, Model.SecondStep step) {
                Model.SecondStep[] copy = pending.clone();
                copy[t] = step;
                return copy;
            }
        }
    }
}
