package golab.runtime.gc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic simulation of the GC pacer: drives a real {@link Pacer} and {@link CpuLimiter} through the
 * cycles of a modelled program, to see how goal, trigger, assists and the limiter behave for a workload.
 *
 * <p>The model, in simulated nanoseconds:
 * <ul>
 * <li>The mutator keeps every P busy (no idle time, so no idle mark workers) and allocates {@code alloc-rate}
 *     bytes per mutator CPU-second, a {@code scannable} fraction of them pointerful. With {@code jitter} j the rate
 *     is multiplied by a factor drawn uniformly from [1 − j, 1 + j] at the start of every off phase and every mark
 *     phase, from a generator seeded by {@code seed}.</li>
 * <li>Everything allocated dies soon, except a live heap of {@code live} bytes (never more than the heap holds
 *     when a cycle starts). Between cycles time jumps straight to the moment heapLive reaches the trigger.</li>
 * <li>A cycle's scan work is the globals, then the stacks, then the scannable part of the live heap, at
 *     {@code scan-rate} bytes per GC CPU-second. Mark advances in steps of {@code step}: the dedicated and
 *     fractional workers get their 25 % of the CPUs and bank their work as background credit; the mutator gets
 *     the rest and, for each byte it allocates, owes {@link Pacer#assistWorkPerByte()} work, paid from the credit
 *     first and then by assisting (time taken from allocation) unless the limiter is on. This is a fluid version of
 *     Go's per-goroutine debt, without the 64 KiB assist granularity.</li>
 * <li>Objects allocated during mark are marked (black), so heapMarked = live heap + allocation during mark;
 *     sweeping is instant and the scavenger returns free pages at once, so the memory the limit sees is heapLive +
 *     {@code stacks} + {@code overhead} (globals are part of the binary, not of the limit). Pauses take no time.</li>
 * </ul>
 *
 * <p>Scenario files have one {@code key value} pair per line for the set-up, {@code at <cycle> <key> <value>}
 * lines for changes that take effect before that cycle's off phase, and {@code #} comments. Sizes take a number
 * with an optional suffix B, KiB, MiB, GiB or TiB; durations a number with ns, us, ms or s; {@code gogc} and
 * {@code gomemlimit} take what GOGC and GOMEMLIMIT take. {@link #main} runs one and prints a line per cycle.
 */
public final class PacerSimulation {

    /** The scenarios in the resources folder {@code golab/runtime/gc/scenarios}. */
    public static final List<String> BUNDLED = List.of(
            "steady", "step", "jitter", "high-gogc", "big-stacks", "memory-limit", "death-spiral");

    /** Keys only the set-up may give. */
    public static final List<String> SETUP_KEYS = List.of("version", "cycles", "step", "max-time", "seed");

    /** Keys the set-up may give and {@code at} lines may change. */
    public static final List<String> SETTING_KEYS = List.of("gomaxprocs", "gogc", "gomemlimit", "live",
            "scannable", "alloc-rate", "scan-rate", "jitter", "stacks", "globals", "overhead");

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double MIB = 1 << 20;
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Pattern BYTES = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(B|KiB|MiB|GiB|TiB)?");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s)");

    /**
     * The program and runtime knobs of a scenario.
     *
     * @param gomaxprocs GOMAXPROCS
     * @param gogc       GOGC, or {@link Pacer#GC_PERCENT_OFF}
     * @param gomemlimit GOMEMLIMIT in bytes, or {@link Pacer#NO_MEMORY_LIMIT}
     * @param live       bytes of the heap that stay reachable
     * @param scannable  fraction of heap bytes, live and allocated, that hold pointers and must be scanned
     * @param allocRate  bytes allocated per mutator CPU-second
     * @param scanRate   bytes scanned per GC CPU-second
     * @param jitter     relative amplitude of the random allocation-rate factor, in [0, 1)
     * @param stacks     goroutine stack bytes, all scanned
     * @param globals    data and BSS bytes, all scanned
     * @param overhead   other runtime memory counted by the memory limit (metadata, fragmentation)
     */
    public record Settings(int gomaxprocs, int gogc, long gomemlimit, long live, double scannable, long allocRate,
            long scanRate, double jitter, long stacks, long globals, long overhead) {

        /** The values of keys a scenario does not give. */
        public static final Settings DEFAULT = new Settings(4, 100, Pacer.NO_MEMORY_LIMIT, 64L << 20, 0.5,
                256L << 20, 1L << 30, 0, 0, 0, 0);

        /** @throws IllegalArgumentException naming the first invalid setting */
        public Settings {
            require(gomaxprocs >= 1, "gomaxprocs", gomaxprocs, "must be >= 1");
            require(gogc >= Pacer.GC_PERCENT_OFF, "gogc", gogc, "must be off or >= 0");
            require(gomemlimit >= 0, "gomemlimit", gomemlimit, "must be off or >= 0 bytes");
            require(live >= 0, "live", live, "must be >= 0 bytes");
            require(scannable >= 0 && scannable <= 1, "scannable", scannable, "must be between 0 and 1");
            require(allocRate > 0, "alloc-rate", allocRate, "must be > 0 bytes per CPU-second");
            require(scanRate > 0, "scan-rate", scanRate, "must be > 0 bytes per CPU-second");
            require(jitter >= 0 && jitter < 1, "jitter", jitter, "must be >= 0 and < 1");
            require(stacks >= 0, "stacks", stacks, "must be >= 0 bytes");
            require(globals >= 0, "globals", globals, "must be >= 0 bytes");
            require(overhead >= 0, "overhead", overhead, "must be >= 0 bytes");
        }

        private static void require(boolean ok, String key, Object value, String rule) {
            if (!ok) {
                throw new IllegalArgumentException(key + " " + value + " is invalid: " + rule);
            }
        }

        /**
         * These settings with {@code key} set from the scenario text {@code value}.
         *
         * @throws IllegalArgumentException for a key not in {@link #SETTING_KEYS} or a value it does not accept
         */
        public Settings with(String key, String value) {
            return switch (key) {
                case "gomaxprocs" -> new Settings(parseInt(key, value), gogc, gomemlimit, live, scannable,
                        allocRate, scanRate, jitter, stacks, globals, overhead);
                case "gogc" -> new Settings(gomaxprocs, GcSettings.parseGOGC(value), gomemlimit, live, scannable,
                        allocRate, scanRate, jitter, stacks, globals, overhead);
                case "gomemlimit" -> new Settings(gomaxprocs, gogc, GcSettings.parseGOMEMLIMIT(value), live,
                        scannable, allocRate, scanRate, jitter, stacks, globals, overhead);
                case "live" -> new Settings(gomaxprocs, gogc, gomemlimit, parseBytes(key, value), scannable,
                        allocRate, scanRate, jitter, stacks, globals, overhead);
                case "scannable" -> new Settings(gomaxprocs, gogc, gomemlimit, live, parseNumber(key, value),
                        allocRate, scanRate, jitter, stacks, globals, overhead);
                case "alloc-rate" -> new Settings(gomaxprocs, gogc, gomemlimit, live, scannable,
                        parseBytes(key, value), scanRate, jitter, stacks, globals, overhead);
                case "scan-rate" -> new Settings(gomaxprocs, gogc, gomemlimit, live, scannable, allocRate,
                        parseBytes(key, value), jitter, stacks, globals, overhead);
                case "jitter" -> new Settings(gomaxprocs, gogc, gomemlimit, live, scannable, allocRate, scanRate,
                        parseNumber(key, value), stacks, globals, overhead);
                case "stacks" -> new Settings(gomaxprocs, gogc, gomemlimit, live, scannable, allocRate, scanRate,
                        jitter, parseBytes(key, value), globals, overhead);
                case "globals" -> new Settings(gomaxprocs, gogc, gomemlimit, live, scannable, allocRate, scanRate,
                        jitter, stacks, parseBytes(key, value), overhead);
                case "overhead" -> new Settings(gomaxprocs, gogc, gomemlimit, live, scannable, allocRate, scanRate,
                        jitter, stacks, globals, parseBytes(key, value));
                default -> throw new IllegalArgumentException("unknown setting \"" + key + "\"; allowed: "
                        + String.join(", ", SETTING_KEYS));
            };
        }
    }

    /** A setting that changes before cycle {@code cycle}, from line {@code line} of the scenario file. */
    public record Change(int cycle, String key, String value, int line) {
    }

    /**
     * A parsed scenario.
     *
     * @param name         the file name without directories and {@code .scenario}
     * @param cycles       how many cycles to run at most
     * @param stepNanos    length of a simulation step during mark
     * @param maxTimeNanos simulated time after which the run stops even if cycles remain (GOGC=off never
     *                     triggers without a limit)
     * @param seed         seed of the jitter generator
     * @param settings     the settings before the first cycle
     * @param changes      the {@code at} lines, ordered by cycle, then by line
     */
    public record Scenario(String name, PacerVersion version, int cycles, long stepNanos, long maxTimeNanos,
            long seed, Settings settings, List<Change> changes) {

        public Scenario {
            changes = List.copyOf(changes);
        }

        /**
         * Parses scenario text.
         *
         * @param source the file name, used in error messages and for the scenario's name
         * @throws IllegalArgumentException naming the source, the line and what is wrong
         */
        public static Scenario parse(String source, List<String> lines) {
            PacerVersion version = PacerVersion.current();
            int cycles = 30;
            long step = 100_000;
            long maxTime = 60_000_000_000L;
            long seed = 1;
            Settings settings = Settings.DEFAULT;
            List<Change> changes = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                int lineNo = i + 1;
                String line = lines.get(i);
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (text.isEmpty()) {
                    continue;
                }
                String[] t = text.split("\\s+");
                try {
                    if (t[0].equals("at")) {
                        if (t.length != 4) {
                            throw new IllegalArgumentException("expected \"at <cycle> <key> <value>\"");
                        }
                        int cycle = parseInt("at", t[1]);
                        if (cycle < 1) {
                            throw new IllegalArgumentException("cycle " + cycle + " is invalid: must be >= 1");
                        }
                        if (!SETTING_KEYS.contains(t[2])) {
                            throw new IllegalArgumentException("\"" + t[2] + "\" cannot change between cycles; keys"
                                    + " allowed after \"at <cycle>\": " + String.join(", ", SETTING_KEYS));
                        }
                        Settings.DEFAULT.with(t[2], t[3]); // reject a bad value now, not in the middle of a run
                        changes.add(new Change(cycle, t[2], t[3], lineNo));
                        continue;
                    }
                    if (t.length != 2) {
                        throw new IllegalArgumentException("expected \"<key> <value>\" or \"at <cycle> <key> <value>\"");
                    }
                    String key = t[0];
                    String value = t[1];
                    if (!SETUP_KEYS.contains(key) && !SETTING_KEYS.contains(key)) {
                        throw new IllegalArgumentException("unknown key \"" + key + "\"; allowed keys: "
                                + String.join(", ", SETUP_KEYS) + ", " + String.join(", ", SETTING_KEYS)
                                + ", and \"at <cycle> <key> <value>\"");
                    }
                    Integer first = seen.putIfAbsent(key, lineNo);
                    if (first != null) {
                        throw new IllegalArgumentException("\"" + key + "\" is already set on line " + first);
                    }
                    switch (key) {
                        case "version" -> version = PacerVersion.parse("version", value);
                        case "cycles" -> cycles = (int) positive(key, parseInt(key, value));
                        case "step" -> step = positive(key, parseDuration(key, value));
                        case "max-time" -> maxTime = positive(key, parseDuration(key, value));
                        case "seed" -> seed = parseLong(key, value);
                        default -> settings = settings.with(key, value);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
            for (Change c : changes) {
                if (c.cycle() > cycles) {
                    throw new IllegalArgumentException(source + ":" + c.line() + ": cycle " + c.cycle()
                            + " is after the last cycle (cycles " + cycles + ")");
                }
            }
            changes.sort(Comparator.comparingInt(Change::cycle).thenComparingInt(Change::line));
            String name = Path.of(source).getFileName().toString();
            if (name.endsWith(".scenario")) {
                name = name.substring(0, name.length() - ".scenario".length());
            }
            return new Scenario(name, version, cycles, step, maxTime, seed, settings, changes);
        }

        /**
         * Reads and parses a scenario file.
         *
         * @throws UncheckedIOException if it cannot be read
         */
        public static Scenario load(Path file) {
            try {
                return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * One of the {@link #BUNDLED} scenarios.
         *
         * @throws IllegalArgumentException for another name
         */
        public static Scenario bundled(String name) {
            if (!BUNDLED.contains(name)) {
                throw new IllegalArgumentException("no bundled scenario \"" + name + "\"; bundled: "
                        + String.join(", ", BUNDLED));
            }
            String file = name + ".scenario";
            try (InputStream in = PacerSimulation.class.getResourceAsStream("scenarios/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("bundled scenario " + file + " is missing from the resources");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return parse(file, text.lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled scenario " + file, e);
            }
        }

        /** The scenario file at {@code pathOrName} if there is one, else the bundled scenario of that name. */
        public static Scenario resolve(String pathOrName) {
            Path path = Path.of(pathOrName);
            if (Files.isRegularFile(path)) {
                return load(path);
            }
            if (BUNDLED.contains(pathOrName)) {
                return bundled(pathOrName);
            }
            throw new IllegalArgumentException("no scenario file " + pathOrName + " and no bundled scenario of that"
                    + " name; bundled: " + String.join(", ", BUNDLED));
        }
    }

    /**
     * What happened in one cycle.
     *
     * @param cycle           1-based cycle number
     * @param startNanos      when the mark phase started
     * @param markNanos       how long the mark phase took
     * @param trigger         the trigger that started the cycle
     * @param heapAtTrigger   heapLive when the cycle started
     * @param goal            the heap goal when mark ended (gctrace's goal)
     * @param peakHeap        heapLive when mark ended, the most this cycle reached
     * @param heapMarked      bytes marked: the live heap plus what was allocated during mark
     * @param nextGoal        the heap goal for the next cycle, after commit
     * @param nextTrigger     the trigger for the next cycle, after commit
     * @param consMark        the cons/mark estimate after this cycle
     * @param assistFraction  assist CPU over all CPU during mark
     * @param gcCpuFraction   GC CPU (workers and assists) over all CPU from the previous cycle's end to this one's
     * @param limiterEngaged  whether the CPU limiter was on at some point during mark
     * @param limiterOverflow cumulative GC CPU ns the limiter's full bucket could not hold
     */
    public record Cycle(int cycle, long startNanos, long markNanos, long trigger, long heapAtTrigger, long goal,
            long peakHeap, long heapMarked, long nextGoal, long nextTrigger, double consMark,
            double assistFraction, double gcCpuFraction, boolean limiterEngaged, long limiterOverflow) {

        /** One line in the spirit of gctrace. */
        public String line() {
            return String.format(Locale.ROOT, "gc %d @%.3fs: trigger %.2f MiB (heap %.2f), goal %.2f MiB, peak %.2f"
                            + " MiB, marked %.2f MiB, next goal %.2f MiB trigger %.2f MiB, cons/mark %.4f, mark %.2f ms,"
                            + " assist %.1f%%, gc cpu %.1f%%, limiter %s",
                    cycle, startNanos / NANOS_PER_SECOND, trigger / MIB, heapAtTrigger / MIB, goal / MIB,
                    peakHeap / MIB, heapMarked / MIB, nextGoal / MIB, nextTrigger / MIB, consMark, markNanos / 1e6,
                    assistFraction * 100, gcCpuFraction * 100, limiterEngaged ? "on" : "off");
        }
    }

    /** Turns fractional increments into whole ones whose running total stays the rounded exact total. */
    private static final class Accumulator {
        private double exact;
        private long issued;

        /** Adds {@code amount}; returns the whole increment to pass on. */
        long add(double amount) {
            return advanceTo(exact + amount);
        }

        /** Sets the exact total to {@code total}; returns the whole increment to pass on. */
        long advanceTo(double total) {
            exact = total;
            long rounded = Math.round(total);
            long delta = rounded - issued;
            issued = rounded;
            return delta;
        }
    }

    private final Scenario scenario;
    private final SplittableRandom random;
    private final Pacer pacer;
    private final CpuLimiter limiter;
    private Settings settings;
    private long now;
    private long heapAlloc;
    private int completed;

    /** A simulation at time 0, with the scenario's initial settings. */
    public PacerSimulation(Scenario scenario) {
        this.scenario = scenario;
        this.settings = scenario.settings();
        this.random = new SplittableRandom(scenario.seed());
        MemoryStats memory = new MemoryStats() {
            @Override
            public long mappedReady() {
                return heapAlloc + settings.stacks() + settings.overhead();
            }

            @Override
            public long heapFree() {
                return 0;
            }

            @Override
            public long heapAlloc() {
                return heapAlloc;
            }
        };
        pacer = new Pacer(scenario.version(), settings.gogc(), settings.gomemlimit(), memory);
        pacer.addScannableStack(settings.stacks());
        pacer.addGlobals(settings.globals());
        pacer.commit(true); // so that the first goal sees the globals
        limiter = new CpuLimiter(settings.gomaxprocs(), 0);
    }

    public Pacer pacer() {
        return pacer;
    }

    public CpuLimiter limiter() {
        return limiter;
    }

    /**
     * Runs the scenario's remaining cycles, or as many as end within its maximum time (a cycle cut short by it is
     * dropped).
     *
     * @return one record per cycle completed by this call
     */
    public List<Cycle> run() {
        List<Cycle> cycles = new ArrayList<>();
        for (int n = completed + 1; n <= scenario.cycles(); n++) {
            applyChanges(n);
            Cycle c = runCycle(n);
            if (c == null) {
                break;
            }
            cycles.add(c);
        }
        return cycles;
    }

    private void applyChanges(int cycle) {
        // Right after mark termination the sweep has just begun; before the first cycle nothing needs sweeping.
        boolean sweepDone = completed == 0;
        for (Change change : scenario.changes()) {
            if (change.cycle() != cycle) {
                continue;
            }
            Settings old = settings;
            settings = settings.with(change.key(), change.value());
            switch (change.key()) {
                case "gogc" -> pacer.setGCPercent(settings.gogc(), sweepDone);
                case "gomemlimit" -> pacer.setMemoryLimit(settings.gomemlimit(), sweepDone);
                case "stacks" -> pacer.addScannableStack(settings.stacks() - old.stacks());
                case "globals" -> pacer.addGlobals(settings.globals() - old.globals());
                case "gomaxprocs" -> limiter.resetCapacity(now, settings.gomaxprocs());
                default -> {
                    // the other settings are read by the model as it runs
                }
            }
        }
    }

    /** A new allocation-rate factor for the next phase. */
    private double jitterFactor() {
        double j = settings.jitter();
        return j == 0 ? 1 : 1 + j * (2 * random.nextDouble() - 1);
    }

    /**
     * The off phase: all CPUs run the mutator until heapLive reaches the trigger, which time jumps straight to.
     *
     * @return the trigger that started the cycle, or -1 if the scenario's time runs out first
     */
    private long allocateUntilTrigger() {
        double bytesPerNano = settings.allocRate() * jitterFactor() * settings.gomaxprocs() / NANOS_PER_SECOND;
        Accumulator scanBytes = new Accumulator();
        while (true) {
            // Re-read: allocation raises the memory the limit sees, which may lower the goal and the trigger.
            long trigger = pacer.trigger();
            long live = pacer.heapLive();
            if (live >= trigger) {
                return trigger;
            }
            long need = trigger - live;
            long dt = (long) Math.ceil(need / bytesPerNano);
            if (now + dt > scenario.maxTimeNanos()) {
                return -1;
            }
            now += dt;
            // Land on the trigger exactly: the time is rounded, the bytes are not.
            allocate(need, scanBytes.add(need * settings.scannable()));
        }
    }

    /** Runs cycle {@code n} from the end of the previous one; null if the scenario's time ran out first. */
    private Cycle runCycle(int n) {
        long cycleBegin = now;
        int procs = settings.gomaxprocs();
        double scannable = settings.scannable();
        long trigger = allocateUntilTrigger();
        if (trigger < 0) {
            return null;
        }
        long heapAtTrigger = pacer.heapLive();

        // Sweep termination: start the cycle and take every dedicated worker slot.
        long markStart = now;
        limiter.startGCTransition(true, now);
        pacer.startCycle(now, procs, false);
        int dedicated = 0;
        while (pacer.tryTakeDedicatedWorker()) {
            dedicated++;
        }
        double fractional = pacer.fractionalUtilizationGoal();
        limiter.finishGCTransition(now);

        // Mark.
        long liveAtStart = Math.min(settings.live(), heapAtTrigger);
        long globalsWork = settings.globals();
        long stackWork = settings.stacks();
        long heapWork = Math.round(liveAtStart * scannable);
        double totalWork = globalsWork + stackWork + heapWork;
        double workDone = 0;
        double scanPerNano = settings.scanRate() / NANOS_PER_SECOND;
        double allocPerNano = settings.allocRate() * jitterFactor() / NANOS_PER_SECOND;
        double bgProcs = dedicated + fractional * procs;
        Accumulator globalsDone = new Accumulator();
        Accumulator stacksDone = new Accumulator();
        Accumulator heapDone = new Accumulator();
        Accumulator credit = new Accumulator();
        Accumulator dedicatedTime = new Accumulator();
        Accumulator fractionalTime = new Accumulator();
        Accumulator assistTime = new Accumulator();
        Accumulator markAllocated = new Accumulator();
        Accumulator markAllocatedScan = new Accumulator();
        double bgCpu = 0;
        double assistCpu = 0;
        long allocatedDuringMark = 0;
        boolean limited = limiter.limiting();
        while (workDone < totalWork) {
            if (now >= scenario.maxTimeNanos()) {
                return null;
            }
            double dt = scenario.stepNanos();
            double stepBgCpu = bgProcs * dt;
            double mutatorCpu = procs * dt - stepBgCpu;
            double bgWork = stepBgCpu * scanPerNano;
            double available = pacer.bgScanCredit() + bgWork;
            double workPerByte = pacer.assistWorkPerByte();
            double bytes;
            double stolen;
            double assistWork;
            if (limiter.limiting()) {
                // Go's gcAssistAlloc returns at once: the debt is neither paid nor collected.
                bytes = allocPerNano * mutatorCpu;
                stolen = 0;
                assistWork = 0;
            } else if (workPerByte * allocPerNano * mutatorCpu <= available) {
                bytes = allocPerNano * mutatorCpu;
                stolen = workPerByte * bytes;
                assistWork = 0;
            } else {
                // Spend the mutator CPU on allocating b bytes and assisting for the debt the credit does not cover:
                // b / allocPerNano + (workPerByte * b - available) / scanPerNano = mutatorCpu.
                bytes = (mutatorCpu + available / scanPerNano) / (1 / allocPerNano + workPerByte / scanPerNano);
                stolen = available;
                assistWork = workPerByte * bytes - available;
            }
            double stepWork = bgWork + assistWork;
            if (workDone + stepWork >= totalWork) {
                // Mark ends within this step: keep the part of it that finishes the work.
                double f = (totalWork - workDone) / stepWork;
                dt *= f;
                stepBgCpu *= f;
                bgWork *= f;
                bytes *= f;
                stolen *= f;
                assistWork *= f;
                workDone = totalWork;
            } else {
                workDone += stepWork;
            }
            double stepAssistCpu = assistWork / scanPerNano;
            bgCpu += stepBgCpu;
            assistCpu += stepAssistCpu;

            // Roots first, as markroot jobs are claimed before heap work.
            pacer.addGlobalsScanWork(globalsDone.advanceTo(Math.min(workDone, globalsWork)));
            pacer.addStackScanWork(stacksDone.advanceTo(Math.clamp(workDone - globalsWork, 0, stackWork)));
            pacer.addHeapScanWork(heapDone.advanceTo(Math.clamp(workDone - globalsWork - stackWork, 0, heapWork)));
            pacer.addBgScanCredit(credit.add(bgWork));
            pacer.stealBgScanCredit(Math.round(stolen));
            pacer.addDedicatedMarkTime(dedicatedTime.add(dedicated * dt));
            pacer.addFractionalMarkTime(fractionalTime.add(fractional * procs * dt));
            long assistNanos = assistTime.add(stepAssistCpu);
            pacer.addAssistTime(assistNanos);
            limiter.addAssistTime(assistNanos);
            long stepBytes = markAllocated.add(bytes);
            allocatedDuringMark += stepBytes;
            allocate(stepBytes, markAllocatedScan.add(bytes * scannable));

            now += Math.max(1, Math.round(dt));
            // Go updates the limiter whenever an assist flushes its time, and otherwise when the scheduler looks
            // for a mark worker and the last update is over 10 ms old.
            if (assistNanos > 0 || limiter.needUpdate(now)) {
                limiter.update(now);
            }
            limited |= limiter.limiting();
        }

        // Mark termination.
        limiter.startGCTransition(false, now);
        limited |= limiter.limiting();
        pacer.endCycle(now, procs);
        long goal = pacer.lastHeapGoal();
        long peak = pacer.heapLive();
        long marked = liveAtStart + allocatedDuringMark;
        pacer.resetLive(marked);
        heapAlloc = marked;
        pacer.commit(false);
        completed = n;
        limiter.setCompletedCycles(n);
        limiter.finishGCTransition(now);
        for (int i = 0; i < dedicated; i++) {
            pacer.releaseDedicatedWorker();
        }

        long markNanos = now - markStart;
        double markCpu = (double) markNanos * procs;
        double cycleCpu = (double) (now - cycleBegin) * procs;
        return new Cycle(n, markStart, markNanos, trigger, heapAtTrigger, goal, peak, marked, pacer.heapGoal(),
                pacer.trigger(), pacer.consMark(), markCpu > 0 ? assistCpu / markCpu : 0,
                cycleCpu > 0 ? (bgCpu + assistCpu) / cycleCpu : 0, limited, limiter.overflow());
    }

    private void allocate(long bytes, long scanBytes) {
        pacer.update(bytes, scanBytes);
        heapAlloc += bytes;
    }

    /** Runs a scenario file, or a bundled scenario by name, and prints one line per cycle. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: PacerSimulation <scenario file | bundled scenario: "
                    + String.join(", ", BUNDLED) + ">");
            System.exit(2);
        }
        Scenario scenario;
        try {
            scenario = Scenario.resolve(args[0]);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("# " + scenario.name() + ": " + scenario.version() + ", " + scenario.settings());
        for (Cycle c : new PacerSimulation(scenario).run()) {
            System.out.println(c.line());
        }
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": \"" + value + "\" is not an integer");
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": \"" + value + "\" is not an integer");
        }
    }

    private static long positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " " + value + " is invalid: must be > 0");
        }
        return value;
    }

    private static double parseNumber(String key, String value) {
        if (!NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(key + ": \"" + value + "\" is not a number");
        }
        return Double.parseDouble(value);
    }

    private static long parseBytes(String key, String value) {
        Matcher m = BYTES.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": \"" + value
                    + "\" is not a size: use a number with an optional suffix B, KiB, MiB, GiB or TiB");
        }
        int shift = m.group(2) == null ? 0 : 10 * List.of("B", "KiB", "MiB", "GiB", "TiB").indexOf(m.group(2));
        double bytes = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
        if (bytes >= Long.MAX_VALUE) {
            throw new IllegalArgumentException(key + ": \"" + value + "\" is too large");
        }
        return Math.round(bytes);
    }

    private static long parseDuration(String key, String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": \"" + value
                    + "\" is not a duration: use a number with a unit ns, us, ms or s");
        }
        double unit = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        };
        return Math.round(Double.parseDouble(m.group(1)) * unit);
    }
}
