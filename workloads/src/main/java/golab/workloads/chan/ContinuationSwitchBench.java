package golab.workloads.chan;

import java.util.concurrent.TimeUnit;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under {@link PingPongBench}: what the JVM alone charges for the two goroutine switches of a round trip.
 *
 * <p>An unbuffered round trip in golab, as in Go, is two hand-offs, and each one ends with the sender parking and
 * its M running the receiver: one continuation yields (the JVM freezes its frames into a stack chunk on the heap)
 * and another is run (its frames are thawed back onto the carrier's stack). Here one thread alternately runs two
 * bare {@code jdk.internal.vm.Continuation}s whose bodies do nothing but yield: the same two switches per round,
 * with no channel, no run queue, no status change and no lock. No runtime that parks a goroutine per hand-off on
 * this JVM can do a round trip faster, so {@code golabPingPong} minus this score is what golab's own scheduler and
 * channel code cost per round trip, the part to set beside Go's whole round trip (Go's switch, {@code gogo} and
 * {@code mcall}, saves and loads a few registers).
 *
 * <p>The fork runs the same collector as the side-by-side benchmarks (see {@code SideBySide}): the frames are
 * copied into a heap object, so the collector's barriers are part of the price.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-XX:+UseParallelGC"})
public class ContinuationSwitchBench {

    private static final ContinuationScope SCOPE = new ContinuationScope("switch-floor");

    private Continuation ping;
    private Continuation pong;

    @Setup
    public void createContinuations() {
        ping = new Continuation(SCOPE, ContinuationSwitchBench::yieldForever);
        pong = new Continuation(SCOPE, ContinuationSwitchBench::yieldForever);
    }

    private static void yieldForever() {
        while (true) {
            Continuation.yield(SCOPE);
        }
    }

    /** One round: each continuation is thawed, yields, and is frozen again. */
    @Benchmark
    public void bareRoundTrip() {
        ping.run();
        pong.run();
    }
}
