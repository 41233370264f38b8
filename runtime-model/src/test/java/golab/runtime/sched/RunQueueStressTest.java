package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RunQueue} under load, and its sequential behaviour pinned down G by G.
 *
 * <p>The stress test runs the owner and thieves on real threads: the owner puts 200,000 distinct Gs (some
 * as runnext, in bursts that overflow the ring into the global queue), runs some of them and takes from the
 * global queue as the scheduler does; the thieves steal, alternately with and without runnext, and run what
 * they steal. Every G must then have run, or be found queued, exactly once: a lost or duplicated G is the
 * failure a racy slot copy, head update or runnext exchange would produce.
 *
 * <p>The unit tests check what Go's runqput/runqget/runqsteal promise one operation at a time: the ring is
 * FIFO; runnext is a LIFO slot that kicks its previous G to the tail; a full ring moves its older half and
 * the new G, in order, to the global queue; a steal takes the older half rounded up; runnext is stolen only
 * when asked and when the ring is empty.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken queue can spin forever
class RunQueueStressTest {

    private static final int STRESS_GS = 200_000;
    private static final int THIEVES = 2;

    private final RuntimeLock schedLock = new RuntimeLock();
    private final GlobalRunQueue global = new GlobalRunQueue(schedLock);
    private final P owner = newP(0);
    private final M ownerM = new M(null, 0, null, false);
    /** Gs taken out of the global queue so far. */
    private long takenFromGlobal;

    @RepeatedTest(5)
    void everyGIsRunOrQueuedExactlyOnceAfterConcurrentPutsGetsAndSteals() throws InterruptedException {
        G[] gs = newGs(0, STRESS_GS);
        var runs = new AtomicIntegerArray(STRESS_GS);
        var stolen = new AtomicLong();
        var ownerDone = new AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        owner.status = PStatus.RUNNING;

        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().name("owner").unstarted(() -> {
            var random = new Random(42);
            for (int i = 0; i < STRESS_GS; i++) {
                owner.runq.put(gs[i], random.nextInt(4) == 0);
                boolean inBurst = i % 1024 < 400; // 400 puts in a row overflow the ring unless thieves keep up
                if (!inBurst && i % 3 == 0) {
                    G gp = owner.runq.get(ownerM);
                    if (gp == null) {
                        gp = takeFromGlobal(0); // the local queue is empty: refill it, as findRunnable does
                    }
                    run(runs, gp);
                }
                if (i % 61 == 0) {
                    run(runs, takeFromGlobal(1)); // schedule's fairness check
                }
            }
            ownerDone.set(true);
        }));
        for (int t = 1; t <= THIEVES; t++) {
            P thief = newP(t);
            M thiefM = new M(null, t, null, false);
            threads.add(Thread.ofPlatform().name("thief-" + t).unstarted(() -> {
                for (long n = 0; !ownerDone.get(); n++) {
                    G gp = thief.runq.steal(owner.runq, n % 2 == 0);
                    if (gp == null) {
                        Thread.onSpinWait();
                    }
                    for (; gp != null; gp = thief.runq.get(thiefM)) {
                        stolen.incrementAndGet();
                        run(runs, gp);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(20_000);
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        assertThat(failure.get()).isNull();

        for (G gp : owner.runq.drain()) {
            run(runs, gp);
        }
        for (long goid : drainGlobal()) {
            runs.incrementAndGet((int) goid);
        }
        assertThat(IntStream.range(0, STRESS_GS).filter(i -> runs.get(i) == 0)).as("lost Gs").isEmpty();
        assertThat(IntStream.range(0, STRESS_GS).filter(i -> runs.get(i) > 1)).as("duplicated Gs").isEmpty();
        assertThat(stolen.get()).as("Gs stolen").isPositive();
        assertThat(takenFromGlobal).as("Gs that overflowed to the global queue").isPositive();
    }

    private static void run(AtomicIntegerArray runs, G gp) {
        if (gp != null) {
            runs.incrementAndGet((int) gp.goid);
        }
    }

    /** globrunqget for the owner: one G to run, and up to {@code max - 1} more onto its local queue. */
    private G takeFromGlobal(int max) {
        schedLock.lock();
        try {
            int before = global.size();
            G gp = global.get(owner, max, THIEVES + 1);
            takenFromGlobal += before - global.size();
            return gp;
        } finally {
            schedLock.unlock();
        }
    }

    @Test
    void theRingIsFifo() {
        G[] gs = newGs(1, 11);
        for (G gp : gs) {
            owner.runq.put(gp, false);
        }
        for (G gp : gs) {
            assertThat(owner.runq.get(ownerM)).isSameAs(gp);
            assertThat(ownerM.inheritTime).isFalse();
        }
        assertThat(owner.runq.get(ownerM)).isNull();
        assertThat(owner.runq.isEmpty()).isTrue();
    }

    @Test
    void runnextIsLifoAndKicksItsPreviousGToTheTail() {
        G[] gs = newGs(1, 5);
        owner.runq.put(gs[0], false);
        owner.runq.put(gs[1], false);
        owner.runq.put(gs[2], true);
        owner.runq.put(gs[3], true);

        assertThat(owner.runq.get(ownerM)).isSameAs(gs[3]);
        assertThat(ownerM.inheritTime).as("runnext inherits the time slice").isTrue();
        assertThat(owner.runq.get(ownerM)).isSameAs(gs[0]);
        assertThat(ownerM.inheritTime).isFalse();
        assertThat(getAll(owner)).containsExactly(2L, 3L);
    }

    @Test
    void aFullRingMovesItsOlderHalfAndTheNewGToTheGlobalQueueInOrder() {
        for (G gp : newGs(1, RunQueue.SIZE + 1)) {
            owner.runq.put(gp, false);
        }
        assertThat(owner.runq.ringSize()).isEqualTo(RunQueue.SIZE);
        assertThat(global.size()).isZero();

        owner.runq.put(newG(RunQueue.SIZE + 1), false);

        List<Long> expectedGlobal = new ArrayList<>(goids(1, RunQueue.SIZE / 2 + 1));
        expectedGlobal.add((long) RunQueue.SIZE + 1);
        assertThat(drainGlobal()).containsExactlyElementsOf(expectedGlobal);
        assertThat(getAll(owner)).containsExactlyElementsOf(goids(RunQueue.SIZE / 2 + 1, RunQueue.SIZE + 1));
    }

    @Test
    void aRunnextKickedIntoAFullRingOverflowsWithItsOlderHalf() {
        owner.runq.put(newG(0), true);
        for (G gp : newGs(1, RunQueue.SIZE + 1)) {
            owner.runq.put(gp, false);
        }

        owner.runq.put(newG(RunQueue.SIZE + 1), true);

        List<Long> expectedGlobal = new ArrayList<>(goids(1, RunQueue.SIZE / 2 + 1));
        expectedGlobal.add(0L);
        assertThat(drainGlobal()).containsExactlyElementsOf(expectedGlobal);
        List<Long> expectedLocal = new ArrayList<>(List.of((long) RunQueue.SIZE + 1));
        expectedLocal.addAll(goids(RunQueue.SIZE / 2 + 1, RunQueue.SIZE + 1));
        assertThat(getAll(owner)).containsExactlyElementsOf(expectedLocal);
    }

    /** What a preempted dedicated mark worker does to its P: runnext, then the ring in order, after what the global queue held. */
    @Test
    void movingTheQueueToTheGlobalQueueAppendsRunnextThenTheRing() {
        schedLock.lock();
        try {
            global.put(newG(100));
        } finally {
            schedLock.unlock();
        }
        for (G gp : newGs(1, 4)) {
            owner.runq.put(gp, false);
        }
        owner.runq.put(newG(4), true);

        owner.moveRunQueueToGlobal();

        assertThat(owner.runq.isEmpty()).isTrue();
        assertThat(drainGlobal()).containsExactly(100L, 4L, 1L, 2L, 3L);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8, RunQueue.SIZE - 1, RunQueue.SIZE})
    void aStealTakesTheOlderHalfRoundedUp(int queued) {
        for (G gp : newGs(1, queued + 1)) {
            owner.runq.put(gp, false);
        }
        P thief = newP(1);
        int half = queued - queued / 2;

        G toRun = thief.runq.steal(owner.runq, false);

        assertThat(toRun.goid).as("the thief runs the newest G it took").isEqualTo(half);
        assertThat(getAll(thief)).containsExactlyElementsOf(goids(1, half));
        assertThat(getAll(owner)).containsExactlyElementsOf(goids(half + 1, queued + 1));
    }

    @Test
    void runnextIsStolenOnlyWhenAskedAndTheRingIsEmpty() {
        P thief = newP(1);
        G next = newG(1);
        owner.runq.put(next, true);
        assertThat(thief.runq.steal(owner.runq, false)).as("not asked").isNull();

        owner.runq.put(newG(2), false);
        assertThat(thief.runq.steal(owner.runq, true).goid).as("the ring comes first").isEqualTo(2);
        assertThat(thief.runq.steal(owner.runq, true)).as("the ring is empty now").isSameAs(next);
        assertThat(owner.runq.isEmpty()).isTrue();
    }

    private P newP(int id) {
        return new P(id, null, global);
    }

    private static G newG(long goid) {
        G gp = new G(null);
        gp.goid = goid;
        return gp;
    }

    /** Gs numbered {@code from} (inclusive) to {@code to} (exclusive). */
    private static G[] newGs(int from, int to) {
        return IntStream.range(from, to).mapToObj(RunQueueStressTest::newG).toArray(G[]::new);
    }

    private static List<Long> goids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> (long) i).toList();
    }

    /** Runs {@code pp}'s queue dry as its owner would: the goids in the order they come out. */
    private List<Long> getAll(P pp) {
        M mp = new M(null, pp.id, null, false);
        List<Long> goids = new ArrayList<>();
        for (G gp; (gp = pp.runq.get(mp)) != null; ) {
            goids.add(gp.goid);
        }
        return goids;
    }

    private List<Long> drainGlobal() {
        List<Long> goids = new ArrayList<>();
        schedLock.lock();
        try {
            for (G gp; (gp = global.get(owner, 1, 1)) != null; ) {
                goids.add(gp.goid);
                takenFromGlobal++;
            }
        } finally {
            schedLock.unlock();
        }
        return goids;
    }
}
