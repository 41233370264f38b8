package golab.workloads.record;

import golab.runtime.Go;
import golab.runtime.sync.WaitGroup;
import golab.workloads.GolabServer;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one latency sample costs a workload: reading the clock and recording the difference, as the
 * request server does for every reply (the lab's budget: under 50 ns per sample).
 *
 * <ul>
 * <li>{@code clockOnly}: {@code System.nanoTime() - intendedStart} alone, what any timing pays;</li>
 * <li>{@code goroutine}: the clock plus {@link IntervalRecorder#recordValue} on a goroutine (GOMAXPROCS=2), which
 *     lands in the P's own single-writer recorder; {@code goroutinesOnTwoPs}: two goroutines recording at once
 *     on the two Ps, the cost per sample of each;</li>
 * <li>{@code thread} and {@code twoThreads}: {@link IntervalRecorder#recordValue} from platform threads, which
 *     record into one histogram under a lock;</li>
 * <li>{@code hdrRecorder} and {@code hdrRecorderTwoThreads}: the same into one HdrHistogram {@link Recorder},
 *     the baseline the per-P design is measured against: with two writers its counters' cache lines move
 *     between the cores on every sample.</li>
 * </ul>
 * A reader takes an interval every 100 ms meanwhile, as iteration ends do, so the writers pay for the swaps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED"})
public class RecordingOverheadBench {

    static final int SAMPLES = 100_000;

    private final Recorder shared = new Recorder(3);
    private final IntervalRecorder perP = new IntervalRecorder();
    private GolabServer golab;
    private long intendedStart;
    private Thread reader;
    private volatile boolean done;

    @Setup(Level.Trial)
    public void start() {
        intendedStart = System.nanoTime();
        golab = new GolabServer(2);
        reader = Thread.ofPlatform().daemon(true).start(this::swapIntervals);
    }

    /** Takes an interval of both recorders every 100 ms until the trial ends. */
    private void swapIntervals() {
        while (!done) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            shared.getIntervalHistogram();
            perP.intervalHistogram();
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        done = true;
        reader.join();
        golab.close();
    }

    @Benchmark
    public long clockOnly() {
        return System.nanoTime() - intendedStart;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void goroutine() {
        golab.call(this::recordSamples);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void goroutinesOnTwoPs() {
        golab.call(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            for (int i = 0; i < 2; i++) {
                Go.go(() -> {
                    recordSamples();
                    wg.done();
                });
            }
            wg.await();
        });
    }

    private void recordSamples() {
        for (int i = 0; i < SAMPLES; i++) {
            perP.recordValue(System.nanoTime() - intendedStart);
        }
    }

    @Benchmark
    public void thread() {
        perP.recordValue(System.nanoTime() - intendedStart);
    }

    @Benchmark
    @Threads(2)
    public void twoThreads() {
        perP.recordValue(System.nanoTime() - intendedStart);
    }

    @Benchmark
    public void hdrRecorder() {
        shared.recordValue(System.nanoTime() - intendedStart);
    }

    @Benchmark
    @Threads(2)
    public void hdrRecorderTwoThreads() {
        shared.recordValue(System.nanoTime() - intendedStart);
    }
}
