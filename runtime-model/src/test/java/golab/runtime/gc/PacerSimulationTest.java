package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import golab.runtime.gc.PacerSimulation.Cycle;
import golab.runtime.gc.PacerSimulation.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link PacerSimulation} on the bundled scenarios: the steady states worked out by hand in the comments (and in
 * the scenario files), convergence, the memory limit, the CPU limiter in a death spiral, and scenario parsing.
 */
class PacerSimulationTest {

    static final long MiB = 1L << 20;
    static final long SECOND = 1_000_000_000L;

    static final List<String> BUNDLED = PacerSimulation.BUNDLED;

    private static final Map<String, List<Cycle>> RUNS = new ConcurrentHashMap<>();

    /** Each bundled scenario runs once for the whole class. */
    static List<Cycle> run(String name) {
        return RUNS.computeIfAbsent(name, n -> new PacerSimulation(Scenario.bundled(n)).run());
    }

    static Scenario parse(String... lines) {
        return Scenario.parse("test.scenario", List.of(lines));
    }

    static double mib(long bytes) {
        return bytes / (double) MiB;
    }

    @ParameterizedTest
    @FieldSource("BUNDLED")
    void everyScenarioRunsAllItsCyclesAndFirstTriggersAt61Of64OfTheHeapMinimum(String name) {
        Scenario scenario = Scenario.bundled(name);
        List<Cycle> cycles = run(name);
        assertThat(cycles).hasSize(scenario.cycles());
        // Nothing marked and cons/mark 0 before the first cycle: goal = heap minimum = 4 MiB × GOGC/100 (below
        // every scenario's memory-limit goal), trigger = 61/64 of it: 3.8125 MiB at GOGC=100, 15.25 MiB at 400.
        long heapMinimum = Pacer.DEFAULT_HEAP_MINIMUM * scenario.settings().gogc() / 100;
        assertThat(cycles.getFirst().trigger()).isEqualTo(heapMinimum / 64 * 61);
        assertThat(cycles.getFirst().heapAtTrigger()).isEqualTo(heapMinimum / 64 * 61);
        for (Cycle c : cycles) {
            assertThat(c.heapAtTrigger()).isGreaterThanOrEqualTo(c.trigger());
            assertThat(c.nextTrigger()).isLessThanOrEqualTo(c.nextGoal());
            assertThat(c.heapMarked()).isLessThanOrEqualTo(c.peakHeap());
            assertThat(c.gcCpuFraction()).isBetween(0.0, 1.0);
            assertThat(c.assistFraction()).isBetween(0.0, 0.75);
        }
        assertThat(cycles.getFirst().line()).startsWith("gc 1 @");
    }

    @Test
    void steadyConvergesToTheHandComputedState() {
        List<Cycle> cycles = run("steady");
        // 65 MiB of scan work (60 heap + 4 stacks + 1 globals) on 2 of 8 CPUs at 1000 MiB/s: 32.5 ms, while 6 CPUs
        // allocate 100 MiB/s each: 19.5 MiB. heapMarked = 100 + 19.5 = 119.5 MiB;
        // goal = 119.5 + (119.5 + 4 + 1) = 244 MiB; runway 0.1 × 3 × 65 = 19.5 MiB; trigger 224.5 MiB.
        for (Cycle c : cycles.subList(9, cycles.size())) {
            assertThat(mib(c.heapMarked())).isCloseTo(119.5, within(0.01));
            assertThat(mib(c.goal())).isCloseTo(244, within(0.01));
            assertThat(mib(c.trigger())).isCloseTo(224.5, within(0.01));
            assertThat(c.consMark()).isCloseTo(0.1, within(1e-6));
            assertThat(c.assistFraction()).isLessThan(0.001);
            // Background marking only: 0.25 × 32.5 ms / (105 MiB at 800 MiB/s = 131.25 ms + 32.5 ms) = 4.96 %.
            assertThat(c.gcCpuFraction()).isCloseTo(0.25 * 32.5 / 163.75, within(0.001));
        }
        // Every cycle, the next goal is exactly heapMarked + (heapMarked + lastStackScan + globals) × 100/100.
        for (Cycle c : cycles) {
            assertThat(c.nextGoal()).isEqualTo(c.heapMarked() + c.heapMarked() + 4 * MiB + MiB);
        }
    }

    @Test
    void stepFollowsTheNewLiveHeap() {
        List<Cycle> cycles = run("step");
        // Before: 33 MiB of work in 16.5 ms, 9.9 MiB allocated: heapMarked 59.9, goal 59.9 + 62.9 = 122.8 MiB.
        for (Cycle c : cycles.subList(5, 11)) {
            assertThat(mib(c.goal())).isCloseTo(122.8, within(0.01));
        }
        // Cycle 12 scans the larger heap; by cycle 14 the goal is the new steady state: 93 MiB of work in
        // 46.5 ms, 27.9 MiB allocated: heapMarked 177.9, goal 177.9 + 180.9 = 358.8 MiB, trigger 358.8 − 27.9.
        assertThat(cycles.get(11).goal()).isLessThan(cycles.get(12).goal());
        for (Cycle c : cycles.subList(13, cycles.size())) {
            assertThat(mib(c.heapMarked())).isCloseTo(177.9, within(0.01));
            assertThat(mib(c.goal())).isCloseTo(358.8, within(0.01));
            assertThat(mib(c.trigger())).isCloseTo(330.9, within(0.01));
            assertThat(c.nextGoal()).isEqualTo(2 * c.heapMarked() + 2 * MiB + MiB);
        }
    }

    @Test
    void jitterIsDeterministicAndStillFollowsTheGoalFormula() {
        List<Cycle> cycles = run("jitter");
        assertThat(new PacerSimulation(Scenario.bundled("jitter")).run()).isEqualTo(cycles);
        for (Cycle c : cycles) {
            assertThat(c.nextGoal()).isEqualTo(c.heapMarked() + c.heapMarked() + 4 * MiB + MiB);
        }
        // The measured cons/mark varies with the rate (0.07 to 0.13), and goals stay near the steady 244 MiB.
        assertThat(cycles.stream().mapToDouble(Cycle::consMark).distinct().count()).isGreaterThan(3);
        for (Cycle c : cycles.subList(9, cycles.size())) {
            assertThat(mib(c.goal())).isBetween(225.0, 262.0);
        }
        // Another seed, another run.
        Scenario otherSeed = parse("version 1.21", "gomaxprocs 8", "live 100MiB", "scannable 0.6", "stacks 4MiB",
                "globals 1MiB", "alloc-rate 100MiB", "scan-rate 1000MiB", "jitter 0.3", "seed 43", "cycles 40");
        assertThat(new PacerSimulation(otherSeed).run()).isNotEqualTo(cycles);
    }

    @Test
    void go121AssistsLessThanGo119UnderJitter() {
        // Same workload; 1.21 keeps the highest of the last five cons/mark measurements and starts early, 1.19's
        // PI controller follows the noise and is late more often.
        String[] common = {"gomaxprocs 8", "live 100MiB", "scannable 0.6", "stacks 4MiB", "globals 1MiB",
            "alloc-rate 100MiB", "scan-rate 1000MiB", "jitter 0.3", "seed 42", "cycles 40"};
        double assist121 = totalAssist(concat("version 1.21", common));
        double assist119 = totalAssist(concat("version 1.19", common));
        assertThat(assist121).isLessThan(assist119 / 2);
    }

    static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static double totalAssist(String... lines) {
        return new PacerSimulation(parse(lines)).run().stream().skip(5)
                .mapToDouble(c -> c.assistFraction() * c.markNanos()).sum();
    }

    @Test
    void highGogc() {
        List<Cycle> cycles = run("high-gogc");
        // 27 MiB of work on 1 of 4 CPUs: 27 ms; 3 CPUs × 200 MiB/s: 16.2 MiB. heapMarked 66.2 MiB;
        // goal = 66.2 + (66.2 + 1 + 1) × 400/100 = 339 MiB; runway 0.2 × 3 × 27 = 16.2; trigger 322.8 MiB.
        for (Cycle c : cycles.subList(4, cycles.size())) {
            assertThat(mib(c.goal())).isCloseTo(339, within(0.01));
            assertThat(mib(c.trigger())).isCloseTo(322.8, within(0.01));
            assertThat(c.nextGoal()).isEqualTo(c.heapMarked() + (c.heapMarked() + 2 * MiB) * 4);
        }
    }

    @Test
    void bigStacksCountInTheGoal() {
        List<Cycle> cycles = run("big-stacks");
        // 74 MiB of work (8 heap + 64 stacks + 2 globals) on 1 of 4 CPUs: 74 ms; 300 MiB/s: 22.2 MiB.
        // heapMarked 38.2 MiB; goal = 38.2 + (38.2 + 64 + 2) = 142.4 MiB, not 2 × 38.2 = 76.4 (the pre-1.18
        // rule); runway 0.1 × 3 × 74 = 22.2; trigger 120.2 MiB.
        for (Cycle c : cycles.subList(4, cycles.size())) {
            assertThat(mib(c.heapMarked())).isCloseTo(38.2, within(0.01));
            assertThat(mib(c.goal())).isCloseTo(142.4, within(0.01));
            assertThat(mib(c.trigger())).isCloseTo(120.2, within(0.01));
            assertThat(c.nextGoal()).isEqualTo(2 * c.heapMarked() + 66 * MiB);
        }
    }

    @Test
    void memoryLimitHoldsTheHeapAtTheLimitGoal() {
        List<Cycle> cycles = run("memory-limit");
        long nonHeap = 30 * MiB; // 4 MiB stacks + 26 MiB overhead
        long limitGoal = 291 * MiB / 2; // 180 − 30 = 150 MiB, less 3 %: 145.5 MiB = 152 567 808 B
        for (Cycle c : cycles) {
            assertThat(c.peakHeap() + nonHeap).isLessThanOrEqualTo(180 * MiB);
        }
        for (Cycle c : cycles.subList(4, cycles.size())) {
            // Memory-limited from cycle 5, and still after GOGC=off at cycle 16.
            assertThat(c.goal()).isEqualTo(limitGoal);
            assertThat(c.nextGoal()).isEqualTo(limitGoal);
            // 145.5 − 19.5 = 126 MiB is below 45/64 of the way from heapMarked, so the trigger is that bound.
            assertThat(c.nextTrigger()).isEqualTo(c.heapMarked() + (limitGoal - c.heapMarked()) / 64 * 45);
        }
        for (Cycle c : cycles.subList(6, cycles.size())) {
            assertThat(mib(c.peakHeap())).isCloseTo(145.5, within(0.05));
            assertThat(c.limiterEngaged()).isFalse();
        }
    }

    @Test
    void deathSpiralEngagesTheCpuLimiter() {
        PacerSimulation sim = new PacerSimulation(Scenario.bundled("death-spiral"));
        List<Cycle> cycles = sim.run();
        assertThat(cycles).isEqualTo(run("death-spiral"));
        // The limit (48 MiB) is below the 64 MiB live heap: the memory-limit goal is heapMarked itself, so every
        // cycle's goal is the previous cycle's heapMarked and the next cycle triggers at once.
        for (int i = 5; i < cycles.size(); i++) {
            Cycle c = cycles.get(i);
            long previousMarked = cycles.get(i - 1).heapMarked();
            assertThat(c.goal()).isEqualTo(previousMarked);
            assertThat(c.trigger()).isEqualTo(previousMarked);
            assertThat(c.nextGoal()).isEqualTo(c.heapMarked());
            assertThat(c.nextTrigger()).isEqualTo(c.heapMarked());
        }
        int first = 0;
        while (first < cycles.size() && !cycles.get(first).limiterEngaged()) {
            first++;
        }
        assertThat(first).as("cycle index where the limiter first engages").isLessThan(cycles.size());
        // Before: background 25 % plus about 58 % assists. The 4 CPU-s bucket fills at (0.83 − 0.17) × 4 CPUs,
        // so after about 4 / 2.64 = 1.5 s.
        for (Cycle c : cycles.subList(10, first)) {
            assertThat(c.gcCpuFraction()).isGreaterThan(0.8);
        }
        assertThat(cycles.get(first).startNanos()).isBetween(13 * SECOND / 10, 17 * SECOND / 10);
        // After: GC held to about half of the CPU, the heap overshooting the limit instead.
        List<Cycle> limited = cycles.subList(first + 5, cycles.size());
        assertThat(limited.stream().mapToDouble(Cycle::gcCpuFraction).average().orElseThrow()).isLessThan(0.55);
        assertThat(limited).allMatch(Cycle::limiterEngaged);
        assertThat(limited).allMatch(c -> c.peakHeap() > 48 * MiB);
        assertThat(sim.limiter().lastEnabledCycle()).isGreaterThan(first);
        assertThat(sim.limiter().overflow()).isPositive();
    }

    @Test
    void changesApplyBeforeTheirCycle() {
        PacerSimulation sim = new PacerSimulation(parse("gomaxprocs 2", "live 8MiB", "cycles 6",
                "at 3 gomaxprocs 8", "at 4 stacks 2MiB", "at 4 globals 3MiB", "at 5 gogc 50", "at 5 gomemlimit 1GiB",
                "at 6 live 16MiB"));
        List<Cycle> cycles = sim.run();
        assertThat(cycles).hasSize(6);
        assertThat(sim.limiter().capacity()).isEqualTo(8 * SECOND);
        assertThat(sim.pacer().maxStackScan()).isEqualTo(2 * MiB);
        assertThat(sim.pacer().globalsScan()).isEqualTo(3 * MiB);
        assertThat(sim.pacer().gcPercent()).isEqualTo(50);
        assertThat(sim.pacer().memoryLimit()).isEqualTo(1L << 30);
        // Cycle 5 ran with GOGC=50: next goal = heapMarked + (heapMarked + 2 + 3) × 50/100.
        Cycle c5 = cycles.get(4);
        assertThat(c5.nextGoal()).isEqualTo(c5.heapMarked() + (c5.heapMarked() + 5 * MiB) * 50 / 100);
    }

    @Test
    void gogcOffWithoutALimitStopsAtTheTimeLimit() {
        List<Cycle> cycles = new PacerSimulation(parse("gogc off", "cycles 10", "max-time 2s")).run();
        assertThat(cycles).isEmpty();
    }

    @Test
    void parsesValuesAndComments() {
        Scenario s = parse("# comment", "", "version 1.19  # trailing comment", "gomemlimit 180MiB", "step 50us",
                "max-time 1.5s", "live 0.5GiB", "scannable 0.25", "seed 7", "at 2 gogc off");
        assertThat(s.name()).isEqualTo("test");
        assertThat(s.version()).isEqualTo(PacerVersion.GO1_19);
        assertThat(s.settings().gomemlimit()).isEqualTo(180 * MiB);
        assertThat(s.stepNanos()).isEqualTo(50_000);
        assertThat(s.maxTimeNanos()).isEqualTo(1_500_000_000L);
        assertThat(s.settings().live()).isEqualTo(512 * MiB);
        assertThat(s.settings().scannable()).isEqualTo(0.25);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.changes()).containsExactly(new PacerSimulation.Change(2, "gogc", "off", 10));
        assertThat(s.settings().gogc()).isEqualTo(100);
    }

    @Test
    void parseErrorsNameTheFileTheLineAndTheAllowedKeys() {
        assertThatThrownBy(() -> parse("live 1MiB", "foo 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test.scenario:2: unknown key \"foo\"")
                .hasMessageContaining("version, cycles, step, max-time, seed, gomaxprocs, gogc");
        assertThatThrownBy(() -> parse("live 12XB")).hasMessageStartingWith("test.scenario:1: live: \"12XB\" is not a size");
        assertThatThrownBy(() -> parse("live 1MiB", "live 2MiB"))
                .hasMessage("test.scenario:2: \"live\" is already set on line 1");
        assertThatThrownBy(() -> parse("at 3 version 1.19"))
                .hasMessageStartingWith("test.scenario:1: \"version\" cannot change between cycles")
                .hasMessageContaining("gomaxprocs, gogc, gomemlimit");
        assertThatThrownBy(() -> parse("cycles 5", "at 6 live 1MiB"))
                .hasMessage("test.scenario:2: cycle 6 is after the last cycle (cycles 5)");
        assertThatThrownBy(() -> parse("at 0 live 1MiB")).hasMessageContaining("must be >= 1");
        assertThatThrownBy(() -> parse("at 3 live")).hasMessageContaining("expected \"at <cycle> <key> <value>\"");
        assertThatThrownBy(() -> parse("live")).hasMessageContaining("expected \"<key> <value>\"");
        assertThatThrownBy(() -> parse("version 1.20")).hasMessageContaining("allowed: 1.19, 1.21");
        assertThatThrownBy(() -> parse("gogc -5")).hasMessageStartingWith("test.scenario:1: GOGC=-5");
        assertThatThrownBy(() -> parse("gomaxprocs 0")).hasMessage("test.scenario:1: gomaxprocs 0 is invalid: must be >= 1");
        assertThatThrownBy(() -> parse("jitter 1")).hasMessageContaining("jitter 1.0 is invalid");
        assertThatThrownBy(() -> parse("at 2 scannable 2")).hasMessageContaining("test.scenario:1: scannable 2.0");
        assertThatThrownBy(() -> parse("step 10")).hasMessageContaining("is not a duration");
    }

    @Test
    void loadsFilesAndBundledNames(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.scenario");
        Files.writeString(file, "live 32MiB\ncycles 3\n");
        assertThat(Scenario.resolve(file.toString()).name()).isEqualTo("mine");
        assertThat(Scenario.resolve(file.toString()).settings().live()).isEqualTo(32 * MiB);
        assertThat(Scenario.resolve("steady").name()).isEqualTo("steady");
        assertThatThrownBy(() -> Scenario.resolve(dir.resolve("missing").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bundled: steady, step");
        assertThatThrownBy(() -> Scenario.bundled("nope")).hasMessageContaining("no bundled scenario \"nope\"");
        Files.writeString(file, "cycles 3\nbogus 1\n");
        assertThatThrownBy(() -> Scenario.load(file)).hasMessageStartingWith(file + ":2: unknown key \"bogus\"");
    }
}
