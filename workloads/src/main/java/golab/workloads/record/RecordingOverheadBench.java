package golab.workloads.record;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one latency sample costs a workload: reading the clock and {@link Recorder#recordValue} into
 * the trial's interval recorder, as the request server does for every reply (the lab's budget: under 50 ns).
 *
 * <ul>
 * <li>{@code clockOnly}: {@code System.nanoTime() - intendedStart} alone, the part any timing pays;</li>
 * <li>{@code recordSample}: the clock plus the wait-free record (a writer-phaser enter/exit and an atomic
 *     increment of one count);</li>
 * <li>{@code recordSampleTwoWriters}: the same from two threads at once, as two Ps' goroutines record into one
 *     stream; the count's cache line then moves between cores.</li>
 * </ul>
 * A reader takes an interval every 100 ms meanwhile ({@link #swapInterval}), as iteration ends do, so the
 * writers also pay for the swaps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordingOverheadBench {

    private final Recorder recorder = new Recorder(3);
    private long intendedStart;
    private Thread reader;
    private volatile boolean done;

    @Setup(Level.Trial)
    public void start() {
        intendedStart = System.nanoTime();
        reader = Thread.ofPlatform().daemon(true).start(this::swapInterval);
    }

    /** Takes an interval histogram every 100 ms, recycling the previous one, until the trial ends. */
    private void swapInterval() {
        Histogram recycled = null;
        while (!done) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            recycled = recorder.getIntervalHistogram(recycled);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        done = true;
        reader.join();
    }

    @Benchmark
    public long clockOnly() {
        return System.nanoTime() - intendedStart;
    }

    @Benchmark
    public void recordSample() {
        recorder.recordValue(System.nanoTime() - intendedStart);
    }

    @Benchmark
    @Threads(2)
    public void recordSampleTwoWriters() {
        recorder.recordValue(System.nanoTime() - intendedStart);
    }
}
