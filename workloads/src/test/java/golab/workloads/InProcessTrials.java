package golab.workloads;

import com.fasterxml.jackson.databind.ObjectMapper;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Short real JMH runs of recorded workloads in this JVM (no fork), and what their trials left behind: what the
 * workload tests share. The runs check behaviour, not timing, so they ignore JMH's lock (which keeps
 * measurements apart) and go ahead beside a benchmark.
 */
public final class InProcessTrials {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IGNORE_JMH_LOCK = "jmh.ignoreLock";

    private InProcessTrials() {
    }

    /**
     * Runs the benchmarks whose names match {@code include}, one warmup iteration of 200 ms and one measurement
     * iteration of {@code measurement}, GOMAXPROCS 2 and {@code params} (values comma-separated) pinned,
     * recording under {@code trials}.
     */
    public static Collection<RunResult> run(String include, Map<String, String> params, TimeValue measurement,
            Path trials) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(1)
                .measurementTime(measurement)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        Map<String, String> pinned = new HashMap<>(Map.of("gomaxprocs", "2"));
        pinned.putAll(params);
        pinned.forEach((name, values) -> options.param(name, values.split(",")));
        String ignoreLock = System.setProperty(IGNORE_JMH_LOCK, "true");
        System.setProperty(TrialFolder.PROPERTY, trials.toString());
        try {
            return new Runner(options.build()).run();
        } finally {
            System.clearProperty(TrialFolder.PROPERTY);
            if (ignoreLock == null) {
                System.clearProperty(IGNORE_JMH_LOCK);
            }
        }
    }

    /** The first fork's folder of {@code benchmark} with {@code params} ({@code a=1,b=2}, sorted) under {@code trials}. */
    public static TrialFolder trial(Path trials, String benchmark, String params) {
        return new TrialFolder(trials.resolve(benchmark).resolve(params).resolve("fork-1"));
    }

    public static TrialManifest manifest(TrialFolder trial) throws IOException {
        return JSON.readValue(trial.trial().toFile(), TrialManifest.class);
    }

    /** Every interval of an {@code .hlog} file, read with HdrHistogram's own reader. */
    public static List<Histogram> intervals(Path hlog) throws IOException {
        List<Histogram> intervals = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                intervals.add((Histogram) h);
            }
        }
        return intervals;
    }

    /** The measurement interval of a trial's stream (the second: one warmup iteration precedes it). */
    public static Histogram measurement(TrialFolder trial, String stream) throws IOException {
        return intervals(trial.hlog(stream)).get(1);
    }
}
