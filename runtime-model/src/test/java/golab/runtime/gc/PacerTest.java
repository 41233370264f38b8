package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Pacer} against the formulas of go-runtime.md §7.5, §7.6 and §8, with the expected values worked out by
 * hand in the comments; most use the worked example of §8.8 (live heap 100 MiB, GOGC=100).
 */
class PacerTest {

    static final long KiB = 1L << 10;
    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;

    /** No limit in effect: nothing mapped. */
    static final MemoryStats NO_MEMORY = MemoryStats.of(0, 0, 0);

    /** §8.8 step 7: mappedReady 150 MiB, heapFree 10 MiB, heapAlloc 110 MiB, so non-heap memory is 30 MiB. */
    static final MemoryStats EXAMPLE_MEMORY = MemoryStats.of(150 * MiB, 10 * MiB, 110 * MiB);

    /**
     * A pacer after one complete cycle: the cycle started at the first trigger, did the given scan work while
     * {@code allocatedDuringMark} bytes were allocated (no assists, no idle marking, 100 ms on 8 Ps), and marked
     * {@code marked} bytes; then commit with the sweep done. {@code stackBytes} are allocated stacks and
     * {@code globals} the globals, both scanned in full.
     *
     * <p>For Go 1.21 the first cons/mark estimate is the measurement itself,
     * allocated × 0.25 / (scanWork × 0.75), so the next runway, estimate × 3 × scanWork, is just
     * {@code allocatedDuringMark}. Go 1.19's PI controller makes the first estimate 0.9 × the measurement.
     */
    static Pacer afterOneCycle(PacerVersion version, long limit, MemoryStats mem, long heapScanWork, long stackBytes,
            long globals, long allocatedDuringMark, long marked) {
        Pacer p = new Pacer(version, 100, limit, mem);
        p.addGlobals(globals);
        p.addScannableStack(stackBytes);
        p.commit(true);
        p.update(p.trigger(), 0);
        p.startCycle(0, 8, false);
        p.addHeapScanWork(heapScanWork);
        p.addStackScanWork(stackBytes);
        p.addGlobalsScanWork(globals);
        p.update(allocatedDuringMark, 0);
        p.endCycle(100_000_000, 8);
        p.resetLive(marked);
        p.commit(true);
        return p;
    }

    /**
     * The state of §8.8 (Go 1.21): heapMarked 100 MiB, lastHeapScan 60 MiB, lastStackScan 4 MiB, globals 1 MiB;
     * 19.5 MiB allocated during the 65 MiB of scan work gives cons/mark 19.5 × 0.25 / (65 × 0.75) = 0.1.
     */
    static Pacer workedExample(long limit, MemoryStats mem) {
        return afterOneCycle(PacerVersion.GO1_21, limit, mem, 60 * MiB, 4 * MiB, MiB, 39 * MiB / 2, 100 * MiB);
    }

    @ParameterizedTest
    @EnumSource(PacerVersion.class)
    void firstCycleHasTheHeapMinimumAsGoalAndTriggersAt61Of64(PacerVersion version) {
        Pacer p = new Pacer(version, 100, Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        // heapMarked = 0 and cons/mark = 0: goal = max(0, 4 MiB × 100/100) = 4 MiB; runway 0, so the trigger is
        // the upper bound 0 + (4 MiB / 64) × 61 = 65536 × 61 = 3 997 696 B = 3.8125 MiB.
        assertThat(p.heapMinimum()).isEqualTo(4 * MiB);
        assertThat(p.heapGoal()).isEqualTo(4 * MiB);
        assertThat(p.runway()).isZero();
        assertThat(p.trigger()).isEqualTo(3_997_696L);
        assertThat(p.heapTriggered()).isFalse();
        p.update(3_997_695, 0);
        assertThat(p.heapTriggered()).isFalse();
        p.update(1, 0);
        assertThat(p.heapTriggered()).isTrue();
    }

    @Test
    void workedExampleGoalRunwayAndTrigger() {
        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        assertThat(p.heapMarked()).isEqualTo(100 * MiB);
        assertThat(p.lastHeapScan()).isEqualTo(60 * MiB);
        assertThat(p.lastStackScan()).isEqualTo(4 * MiB);
        assertThat(p.globalsScan()).isEqualTo(MiB);
        assertThat(p.consMark()).isEqualTo(0.1);
        // Goal = 100 + (100 + 4 + 1) × 100/100 = 205 MiB.
        assertThat(p.gcPercentHeapGoal()).isEqualTo(205 * MiB);
        assertThat(p.heapGoal()).isEqualTo(205 * MiB);
        // Runway = 0.1 × 0.75/0.25 × (60 + 4 + 1) = 19.5 MiB.
        assertThat(p.runway()).isEqualTo(39 * MiB / 2);
        // Bounds [100 + 105/64 × 45, max(100 + 105/64 × 61, 205 − 4)] = [173.83, 201] MiB hold 205 − 19.5.
        assertThat(p.trigger()).isEqualTo(371 * MiB / 2);
    }

    @Test
    void triggerClampsToTheLowerBoundAt45Of64() {
        // No roots, heapMarked 100 MiB: goal 200 MiB. 300 MiB allocated during mark makes the runway 300 MiB,
        // more than the goal, so the trigger is the lower bound 100 + (100 MiB / 64) × 45 = 170.3125 MiB.
        Pacer p = afterOneCycle(PacerVersion.GO1_21, Pacer.NO_MEMORY_LIMIT, NO_MEMORY, 50 * MiB, 0, 0, 300 * MiB,
                100 * MiB);
        assertThat(p.heapGoal()).isEqualTo(200 * MiB);
        assertThat(p.runway()).isEqualTo(300 * MiB);
        assertThat(p.trigger()).isEqualTo(100 * MiB + 100 * MiB / 64 * 45).isEqualTo(178_585_600L);

        // A runway of 40 MiB puts the raw trigger at 160 MiB, also below the bound.
        Pacer q = afterOneCycle(PacerVersion.GO1_21, Pacer.NO_MEMORY_LIMIT, NO_MEMORY, 50 * MiB, 0, 0, 40 * MiB,
                100 * MiB);
        assertThat(q.runway()).isEqualTo(40 * MiB);
        assertThat(q.trigger()).isEqualTo(178_585_600L);
    }

    @Test
    void triggerClampsToTheUpperBoundAt61Of64ForSmallHeaps() {
        // heapMarked 10 MiB, no roots: goal 20 MiB. A cycle that allocated nothing while marking leaves
        // cons/mark 0, so runway 0 and the raw trigger is the goal. Upper bound: 10 + (10 MiB / 64) × 61 =
        // 10 485 760 + 163 840 × 61 = 20 480 000 B (19.53 MiB), above goal − 4 MiB = 16 MiB.
        Pacer p = afterOneCycle(PacerVersion.GO1_21, Pacer.NO_MEMORY_LIMIT, NO_MEMORY, 5 * MiB, 0, 0, 0, 10 * MiB);
        assertThat(p.consMark()).isZero();
        assertThat(p.heapGoal()).isEqualTo(20 * MiB);
        assertThat(p.trigger()).isEqualTo(20_480_000L);
    }

    @Test
    void largeHeapsMayTriggerUpToGoalMinus4MiB() {
        // heapMarked 100 MiB, goal 200 MiB, runway 0: 61/64 gives 100 + 95.3125 = 195.3125 MiB, but for large
        // heaps the upper bound is goal − 4 MiB = 196 MiB.
        Pacer p = afterOneCycle(PacerVersion.GO1_21, Pacer.NO_MEMORY_LIMIT, NO_MEMORY, 50 * MiB, 0, 0, 0, 100 * MiB);
        assertThat(p.trigger()).isEqualTo(196 * MiB);

        // A 1 MiB runway would put it at 199 MiB: still clamped to 196 MiB.
        Pacer q = afterOneCycle(PacerVersion.GO1_21, Pacer.NO_MEMORY_LIMIT, NO_MEMORY, 50 * MiB, 0, 0, MiB,
                100 * MiB);
        assertThat(q.runway()).isEqualTo(MiB);
        assertThat(q.trigger()).isEqualTo(196 * MiB);
    }

    @Test
    void memoryLimitedGoalAndClampedTrigger() {
        Pacer p = workedExample(180 * MiB, EXAMPLE_MEMORY);
        // nonHeap = 150 − 10 − 110 = 30 MiB, no overage: 180 − 30 = 150 MiB; headroom = 150 MiB / 100 × 3 =
        // 4.5 MiB; goal 145.5 MiB < 205 MiB, so the limit sets the goal.
        assertThat(p.memoryLimitHeapGoal()).isEqualTo(291 * MiB / 2);
        assertThat(p.heapGoal()).isEqualTo(291 * MiB / 2);
        assertThat(p.gcPercentHeapGoal()).isEqualTo(205 * MiB);
        // Bounds: 100 + (45.5 MiB / 64) × 45 = 104 857 600 + 745 472 × 45 = 138 403 840 B (131.99 MiB) and
        // 100 + 745 472 × 61 = 150 331 392 B (143.37 MiB) > 145.5 − 4. Raw 145.5 − 19.5 = 126 MiB → lower bound.
        assertThat(p.trigger()).isEqualTo(138_403_840L);
    }

    @Test
    void go119MemoryLimitHeadroomIsOneMiB() {
        Pacer p = afterOneCycle(PacerVersion.GO1_19, 180 * MiB, EXAMPLE_MEMORY, 60 * MiB, 4 * MiB, MiB,
                39 * MiB / 2, 100 * MiB);
        // 180 − 30 − 1 = 149 MiB.
        assertThat(p.memoryLimitHeapGoal()).isEqualTo(149 * MiB);
        assertThat(p.heapGoal()).isEqualTo(149 * MiB);
    }

    @Test
    void gogc50AndGogcOffWithTheLimit() {
        Pacer p = workedExample(180 * MiB, EXAMPLE_MEMORY);
        assertThat(p.setMemoryLimit(Pacer.NO_MEMORY_LIMIT)).isEqualTo(180 * MiB);
        assertThat(p.setGCPercent(50)).isEqualTo(100);
        // 100 + 105 × 50/100 = 152.5 MiB; heap minimum 4 MiB × 50/100 = 2 MiB.
        assertThat(p.heapGoal()).isEqualTo(305 * MiB / 2);
        assertThat(p.heapMinimum()).isEqualTo(2 * MiB);

        assertThat(p.setMemoryLimit(180 * MiB)).isEqualTo(Pacer.NO_MEMORY_LIMIT);
        assertThat(p.setGCPercent(Pacer.GC_PERCENT_OFF)).isEqualTo(50);
        // GOGC=off: no GOGC goal; the limit alone gives 145.5 MiB.
        assertThat(p.gcPercentHeapGoal()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.heapGoal()).isEqualTo(291 * MiB / 2);
    }

    @Test
    void gogcOffWithoutALimitNeverTriggers() {
        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.setGCPercent(-7); // any negative value is off, as in debug.SetGCPercent
        assertThat(p.gcPercent()).isEqualTo(Pacer.GC_PERCENT_OFF);
        // The "limit" MaxInt64 still yields a goal, as in Go: MaxInt64 − MaxInt64/100 × 3, about 8.9e18.
        long goal = Long.MAX_VALUE - Long.MAX_VALUE / 100 * 3;
        assertThat(p.heapGoal()).isEqualTo(goal);
        assertThat(p.trigger()).isEqualTo(goal - 39 * MiB / 2);
        p.update(1024 * GiB, 0);
        assertThat(p.heapTriggered()).isFalse();
    }

    @Test
    void gogcZeroCollectsBackToBack() {
        Pacer p = new Pacer(PacerVersion.GO1_21, 0, Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        // Heap minimum 0 and nothing marked: goal 0, trigger 0, so the very first heap test triggers.
        assertThat(p.heapMinimum()).isZero();
        assertThat(p.heapGoal()).isZero();
        assertThat(p.trigger()).isZero();
        assertThat(p.heapTriggered()).isTrue();

        p.startCycle(0, 4, false);
        p.addHeapScanWork(10 * MiB);
        p.endCycle(1_000_000, 4);
        p.resetLive(100 * MiB);
        // Sweep done: goal = heapMarked = 100 MiB, so trigger = goal and the next cycle starts at once.
        p.commit(true);
        assertThat(p.heapGoal()).isEqualTo(100 * MiB);
        assertThat(p.trigger()).isEqualTo(100 * MiB);
        assertThat(p.heapTriggered()).isTrue();
        // Sweep unfinished: goal and trigger keep heapLive + 1 MiB = 101 MiB of sweep distance.
        p.commit(false);
        assertThat(p.sweepDistMinTrigger()).isEqualTo(101 * MiB);
        assertThat(p.heapGoal()).isEqualTo(101 * MiB);
        assertThat(p.trigger()).isEqualTo(101 * MiB);
        assertThat(p.heapTriggered()).isFalse();

        // While marking, the goal stays 64 KiB above where the cycle began.
        p.commit(true);
        p.startCycle(2_000_000, 4, false);
        assertThat(p.triggered()).isEqualTo(100 * MiB);
        assertThat(p.heapGoal()).isEqualTo(100 * MiB + Pacer.MIN_RUNWAY);
    }

    @Test
    void memoryLimitGoalEdgeCases() {
        // Non-heap memory (200 − 0 − 20 = 180 MiB) fills the 180 MiB limit: goal = heapMarked.
        Pacer full = workedExample(180 * MiB, MemoryStats.of(200 * MiB, 0, 20 * MiB));
        assertThat(full.memoryLimitHeapGoal()).isEqualTo(100 * MiB);
        assertThat(full.heapGoal()).isEqualTo(100 * MiB);
        assertThat(full.trigger()).isEqualTo(100 * MiB);

        // Overage: mapped 190 MiB over a 180 MiB limit, nonHeap 30 MiB: 180 − (30 + 10) = 140 MiB =
        // 146 800 640 B; headroom 1 468 006 × 3 = 4 404 018 B; goal 142 396 622 B.
        Pacer over = workedExample(180 * MiB, MemoryStats.of(190 * MiB, 0, 160 * MiB));
        assertThat(over.memoryLimitHeapGoal()).isEqualTo(142_396_622L);

        // A 2 MiB limit with 0.5 MiB non-heap: 1.5 MiB is less than twice the 1 MiB minimum headroom, so the goal
        // is the headroom itself, 1 MiB.
        Pacer small = new Pacer(PacerVersion.GO1_21, 100, 2 * MiB, MemoryStats.of(MiB / 2, 0, 0));
        assertThat(small.memoryLimitHeapGoal()).isEqualTo(MiB);
        assertThat(small.heapGoal()).isEqualTo(MiB);
        // Nothing marked yet, so the trigger is 61/64 of it.
        assertThat(small.trigger()).isEqualTo(MiB / 64 * 61);
    }

    @Test
    void settersValidateAndRecommitAtOnce() {
        assertThatThrownBy(() -> new Pacer(PacerVersion.GO1_21, -2, 0, NO_MEMORY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
        assertThatThrownBy(() -> new Pacer(PacerVersion.GO1_21, 100, -1, NO_MEMORY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");

        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, EXAMPLE_MEMORY);
        assertThat(p.heapGoal()).isEqualTo(205 * MiB);
        p.setMemoryLimit(180 * MiB);
        assertThat(p.heapGoal()).isEqualTo(291 * MiB / 2);
        // A negative limit only reads it.
        assertThat(p.setMemoryLimit(-1)).isEqualTo(180 * MiB);
        assertThat(p.memoryLimit()).isEqualTo(180 * MiB);
        assertThat(p.setGCPercent(200)).isEqualTo(100);
        assertThat(p.gcPercentHeapGoal()).isEqualTo(100 * MiB + 105 * MiB * 2);
        assertThat(p.version()).isEqualTo(PacerVersion.GO1_21);
        assertThat(PacerVersion.current()).isEqualTo(PacerVersion.GO1_21);
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}: {1} dedicated + {2} fractional")
    @CsvSource({
        // Listed in go-runtime.md §7.5: 1, 2, 3, 4, 5, 6, 7, 8, 10, 16.
        "1, 0, 0.25", "2, 0, 0.25", "3, 0, 0.25", "4, 1, 0", "5, 1, 0", "6, 1, 0.0833333333333333",
        "7, 2, 0", "8, 2, 0", "10, 3, 0", "16, 4, 0",
        // The rest by the same rule: 9 → 2.25 rounds to 2 (−11 %); 11 → 2.75 to 3 (+9 %); 13 → 3.25 to 3
        // (−8 %); 14 → 3.5 to 4 (+14 %); 15 → 3.75 to 4 (+7 %). All within 30 %.
        "9, 2, 0", "11, 3, 0", "12, 3, 0", "13, 3, 0", "14, 4, 0", "15, 4, 0"})
    void markWorkers(int procs, int dedicated, double fractional) {
        Pacer p = new Pacer(PacerVersion.GO1_21, 100, Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.startCycle(0, procs, false);
        assertThat(p.dedicatedMarkWorkersNeeded()).isEqualTo(dedicated);
        assertThat(p.fractionalUtilizationGoal()).isCloseTo(fractional, within(1e-12));
        // Dedicated plus fractional workers come within 30 % of 25 % of the Ps (exactly 25 % with fractional).
        assertThat(Math.abs((dedicated + fractional * procs) / (procs * 0.25) - 1)).isLessThanOrEqualTo(0.3);
        assertThat(p.maxIdleWorkers()).isEqualTo(procs - dedicated);
        assertThat(p.markActive()).isTrue();

        p.startCycle(0, procs, true);
        assertThat(p.maxIdleWorkers()).isEqualTo(dedicated > 0 ? 0 : 1);
    }

    @Test
    void workerSlots() {
        Pacer p = new Pacer(PacerVersion.GO1_21, 100, Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.startCycle(0, 8, false);
        assertThat(p.tryTakeDedicatedWorker()).isTrue();
        assertThat(p.tryTakeDedicatedWorker()).isTrue();
        assertThat(p.tryTakeDedicatedWorker()).isFalse();
        p.releaseDedicatedWorker();
        assertThat(p.dedicatedMarkWorkersNeeded()).isEqualTo(1);
        assertThat(p.tryTakeDedicatedWorker()).isTrue();

        for (int i = 0; i < 6; i++) {
            assertThat(p.tryTakeIdleWorker()).isTrue();
        }
        assertThat(p.tryTakeIdleWorker()).isFalse();
        assertThat(p.idleWorkers()).isEqualTo(6);
        p.releaseIdleWorker();
        assertThat(p.tryTakeIdleWorker()).isTrue();
        for (int i = 0; i < 6; i++) {
            p.releaseIdleWorker();
        }
        assertThatThrownBy(p::releaseIdleWorker).isInstanceOf(IllegalStateException.class);
    }

    /** The worked example at its trigger: heapLive 185.5 MiB, scannable heap 100 MiB, then mark starts. */
    static Pacer markingWorkedExample(long extraHeapScan) {
        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.update(171 * MiB / 2, 40 * MiB + extraHeapScan); // 100 → 185.5 MiB, heapScan 60 → 100 MiB (+ extra)
        p.startCycle(1_000_000_000L, 8, false);
        return p;
    }

    @Test
    void reviseSteadyState() {
        Pacer p = markingWorkedExample(0);
        assertThat(p.triggered()).isEqualTo(371 * MiB / 2);
        assertThat(p.heapGoal()).isEqualTo(205 * MiB);
        // 65 MiB of expected work over 19.5 MiB of runway: 3.33 work per byte, 0.3 bytes per work.
        assertThat(p.assistWorkPerByte()).isCloseTo(10.0 / 3, within(1e-12));
        assertThat(p.assistBytesPerWork()).isCloseTo(0.3, within(1e-12));
        // A minimal 64 KiB assist pre-pays 65536 × 0.3 = 19 660.8 B ≈ 19.2 KiB of allocation.
        assertThat(Pacer.GC_OVER_ASSIST_WORK * p.assistBytesPerWork()).isCloseTo(19_660.8, within(1e-6));

        // Halfway: 32.5 MiB scanned and 9.75 MiB allocated: the ratio stays 32.5 / 9.75 = 3.33.
        p.addHeapScanWork(65 * MiB / 2);
        p.update(39 * MiB / 4, 0);
        assertThat(p.assistWorkPerByte()).isCloseTo(10.0 / 3, within(1e-12));
        // heapScan is frozen during mark.
        assertThat(p.heapScan()).isEqualTo(100 * MiB);
        Pacer.AssistRatio ratio = p.assistRatio();
        assertThat(ratio.workPerByte() * ratio.bytesPerWork()).isCloseTo(1, within(1e-12));
    }

    @Test
    void reviseOverTheGoal() {
        Pacer p = markingWorkedExample(0);
        p.addHeapScanWork(30 * MiB);
        p.update(25 * MiB, 0); // heapLive 210.5 MiB > goal 205 MiB
        // Goal × 1.1 = 225.5 MiB; expected work becomes the worst case 100 + 4 + 1 = 105 MiB.
        // (105 − 30) MiB of work over (225.5 − 210.5) MiB of heap = 5 work per byte.
        assertThat(p.assistWorkPerByte()).isCloseTo(5.0, within(1e-12));
        assertThat(p.assistBytesPerWork()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void reviseExtrapolatesAGrowingHeap() {
        Pacer p = markingWorkedExample(0);
        p.addHeapScanWork(70 * MiB); // more than the 65 MiB expected
        p.update(19 * MiB / 2, 0); // heapLive 195 MiB
        // Goal = 185.5 + (205 − 185.5) × 105 / 65 = 185.5 + 31.5 = 217 MiB (hard goal 410 MiB);
        // (105 − 70) MiB of work over (217 − 195) MiB of heap.
        assertThat(p.assistWorkPerByte()).isCloseTo(35.0 / 22, within(1e-9));

        // With 1000 MiB more scannable heap the extrapolation, 185.5 + 19.5 × 1105 / 65 = 517 MiB, is capped
        // by the hard goal 2 × 205 = 410 MiB: (1105 − 70) MiB over (410 − 195) MiB.
        Pacer q = markingWorkedExample(1000 * MiB);
        q.addHeapScanWork(70 * MiB);
        q.update(19 * MiB / 2, 0);
        assertThat(q.assistWorkPerByte()).isCloseTo(1035.0 / 215, within(1e-9));
    }

    @Test
    void reviseTreatsGogcOffAs100000() {
        Pacer p = workedExample(180 * MiB, EXAMPLE_MEMORY);
        p.setGCPercent(Pacer.GC_PERCENT_OFF);
        p.update(32 * MiB, 1024 * GiB); // heapLive 132 MiB, heapScan 60 MiB + 1 TiB
        p.startCycle(0, 8, false);
        p.addHeapScanWork(66 * MiB);
        p.update(0, 0);
        // Goal 145.5 MiB (memory-limited). Extrapolated: 132 + 13.5 × (1 TiB + 65 MiB) / 65 MiB ≈ 212 GiB, over
        // the hard goal (1 + 100000/100) × 145.5 MiB ≈ 142 GiB.
        long hardGoal = (long) (1001.0 * (291 * MiB / 2));
        long maxScanWork = 60 * MiB + 1024 * GiB + 4 * MiB + MiB;
        double expected = (double) (maxScanWork - 66 * MiB) / (hardGoal - 132 * MiB);
        assertThat(p.assistWorkPerByte()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void consMarkGo121TakesTheMaxOfTheLastFiveMeasurements() {
        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        assertThat(p.consMark()).isEqualTo(0.1);
        // Five more cycles measuring 0.05 (9.75 MiB allocated over 65 MiB of work): 0.1 stays in the window of
        // the current and previous four measurements for four of them, and drops out at the fifth.
        double[] expected = {0.1, 0.1, 0.1, 0.1, 0.05};
        for (double e : expected) {
            runCycle(p, 39 * MiB / 4, 0, 0);
            assertThat(p.consMark()).isCloseTo(e, within(1e-15));
        }
    }

    /** One cycle on 4 Ps lasting 100 ms with the given allocation, assist and idle-mark time; 65 MiB scanned. */
    static void runCycle(Pacer p, long allocated, long assistNanos, long idleNanos) {
        p.update(p.trigger() - p.heapLive(), 0);
        long start = 10_000_000_000L;
        p.startCycle(start, 4, false);
        p.addHeapScanWork(60 * MiB);
        p.addStackScanWork(4 * MiB);
        p.addGlobalsScanWork(MiB);
        p.update(allocated, 0);
        p.addAssistTime(assistNanos);
        p.addIdleMarkTime(idleNanos);
        p.endCycle(start + 100_000_000, 4);
        p.resetLive(100 * MiB);
        p.commit(true);
    }

    @Test
    void consMarkCountsAssistAndIdleUtilization() {
        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        // 100 ms × 4 Ps = 400 ms of CPU: u = 0.25 + 40/400 = 0.35, uIdle = 20/400 = 0.05.
        // 13 MiB × (0.35 + 0.05) / (65 MiB × (1 − 0.35)) = 5.2 / 42.25 = 0.12308 (above the 0.1 in the window).
        runCycle(p, 13 * MiB, 40_000_000, 20_000_000);
        assertThat(p.consMark()).isCloseTo(5.2 / 42.25, within(1e-12));
        assertThat(p.assistTime()).isEqualTo(40_000_000);
        assertThat(p.idleMarkTime()).isEqualTo(20_000_000);
        assertThat(p.lastHeapGoal()).isEqualTo(205 * MiB);
    }

    @Test
    void consMarkGo119PiController() {
        Pacer p = afterOneCycle(PacerVersion.GO1_19, Pacer.NO_MEMORY_LIMIT, NO_MEMORY, 60 * MiB, 4 * MiB, MiB,
                39 * MiB / 2, 100 * MiB);
        // Measurement 0.1 each cycle. Output = 0.9 × (0.1 − previous) + integral; integral += 0.225 × (0.1 −
        // previous). 1st: 0.09 (integral 0.0225). 2nd: 0.9 × 0.01 + 0.0225 = 0.0315 (integral 0.02475).
        // 3rd: 0.9 × 0.0685 + 0.02475 = 0.0864.
        assertThat(p.consMark()).isCloseTo(0.09, within(1e-15));
        runCycle(p, 39 * MiB / 2, 0, 0);
        assertThat(p.consMark()).isCloseTo(0.0315, within(1e-15));
        runCycle(p, 39 * MiB / 2, 0, 0);
        assertThat(p.consMark()).isCloseTo(0.0864, within(1e-15));
        // It converges to the measurement (eigenvalues 0.873 and −0.773 per cycle).
        for (int i = 0; i < 200; i++) {
            runCycle(p, 39 * MiB / 2, 0, 0);
        }
        assertThat(p.consMark()).isCloseTo(0.1, within(1e-9));
    }

    @ParameterizedTest
    @EnumSource(PacerVersion.class)
    void triggeredIsThePrecomputedTriggerIn119AndHeapLiveIn121(PacerVersion version) {
        Pacer p = new Pacer(version, 100, Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.update(5 * MiB, 0); // one large allocation past the 3.8125 MiB trigger
        p.startCycle(0, 4, false);
        assertThat(p.triggered()).isEqualTo(version == PacerVersion.GO1_19 ? 3_997_696L : 5 * MiB);
        p.resetLive(MiB);
        assertThat(p.triggered()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.markActive()).isFalse();
    }

    @Test
    void endCycleWithoutAllocationKeepsTheEstimate() {
        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        runCycle(p, 0, 0, 0);
        assertThat(p.consMark()).isEqualTo(0.1);
    }

    @Test
    void updateMovesHeapScanOnlyOutsideMark() {
        Pacer p = new Pacer(PacerVersion.GO1_21, 100, Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.update(3 * MiB, 2 * MiB);
        assertThat(p.heapLive()).isEqualTo(3 * MiB);
        assertThat(p.heapScan()).isEqualTo(2 * MiB);
        p.startCycle(0, 4, false);
        double before = p.assistWorkPerByte();
        p.update(MiB / 2, MiB / 2);
        assertThat(p.heapScan()).isEqualTo(2 * MiB);
        assertThat(p.heapLive()).isEqualTo(7 * MiB / 2);
        // The goal is 4 MiB: revise ran and sees less heap left.
        assertThat(p.assistWorkPerByte()).isGreaterThan(before);
        p.addScannableStack(8 * KiB);
        p.addScannableStack(-2 * KiB);
        assertThat(p.maxStackScan()).isEqualTo(6 * KiB);
    }

    @Test
    void startCycleResetsTheCycleCounters() {
        Pacer p = workedExample(Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.addBgScanCredit(5);
        p.addDedicatedMarkTime(1);
        p.addFractionalMarkTime(2);
        p.addIdleMarkTime(3);
        p.addAssistTime(4);
        p.startCycle(42, 4, false);
        assertThat(p.markStartNanos()).isEqualTo(42);
        assertThat(p.heapScanWork() + p.stackScanWork() + p.globalsScanWork()).isZero();
        assertThat(p.bgScanCredit()).isZero();
        assertThat(p.dedicatedMarkTime() + p.fractionalMarkTime() + p.idleMarkTime() + p.assistTime()).isZero();
    }

    @Test
    void backgroundCredit() {
        Pacer p = new Pacer(PacerVersion.GO1_21, 100, Pacer.NO_MEMORY_LIMIT, NO_MEMORY);
        p.addBgScanCredit(100);
        assertThat(p.stealBgScanCredit(30)).isEqualTo(30);
        assertThat(p.stealBgScanCredit(100)).isEqualTo(70);
        assertThat(p.stealBgScanCredit(10)).isZero();
        p.addBgScanCredit(5);
        assertThat(p.stealBgScanCredit(-1)).isZero();
        assertThat(p.bgScanCredit()).isEqualTo(5);
    }

    @Test
    void sweepPacing() {
        // §8.8 item 6: trigger 185.5 MiB, heapLive 100 MiB: distance 185.5 − 100 − 1 = 84.5 MiB; 26 240 pages to
        // sweep: one page per 88 604 672 / 26 240 = 3376.7 B ≈ 3.3 KiB allocated.
        double ppb = Pacer.sweepPagesPerByte(371 * MiB / 2, 100 * MiB, 26_240, 0);
        assertThat(ppb).isCloseTo(26_240.0 / (169 * MiB / 2), within(1e-15));
        assertThat(1 / ppb).isCloseTo(3376.7, within(0.1));
        // Less than a page of distance counts as one page (8192 B).
        assertThat(Pacer.sweepPagesPerByte(100 * MiB, 100 * MiB, 10, 0)).isEqualTo(10.0 / 8192);
        // Nothing left to sweep.
        assertThat(Pacer.sweepPagesPerByte(200 * MiB, 100 * MiB, 10, 10)).isZero();
    }
}
