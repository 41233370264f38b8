package golab.workloads;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every side-by-side benchmark shares (JMH applies a superclass's annotations, parameters and
 * fixtures to its subclasses, see JMHSample_24_Inheritance): average time in ns per operation, one fork
 * with the flags goroutines need, and per trial a golab run with {@code gomaxprocs} Ps ({@link GolabServer})
 * next to a virtual-thread scheduler of the same parallelism ({@link VirtualThreads}).
 *
 * <p>The fork runs the Parallel collector. Every goroutine switch freezes and thaws a continuation, which copies
 * frames into and out of a stack-chunk object on the JVM heap; G1 makes each copy check for and apply its barriers.
 * With Parallel the unbuffered ping-pong round trip took 508 ns at the median instead of 591 at GOMAXPROCS=1 and
 * 670 instead of 755 at 2 (six alternating forks each, 2026-11-28). Both columns of a row run in the same JVM
 * setup; to compare under another collector, replace the appended flags: {@code -jvmArgsAppend -XX:+UseG1GC}
 * (forks inherit the launcher's flags, so nothing else is lost).
 *
 * <p>A subclass adds its {@code @Benchmark} methods, named {@code golab<Thing>}, {@code virtualThreads<Thing>}
 * and {@code platformThreads<Thing>} so that the sweep report pairs them; it may override any annotation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-XX:+UseParallelGC"})
public abstract class SideBySide {

    /** golab's GOMAXPROCS and the virtual-thread scheduler's parallelism. */
    @Param({"1", "2"})
    public int gomaxprocs;

    /** The golab run of this trial; its main goroutine runs each invocation's body. */
    protected GolabServer golab;

    @Setup(Level.Trial)
    public void startRuntimes() {
        VirtualThreads.setParallelism(gomaxprocs);
        golab = new GolabServer(gomaxprocs);
    }

    @TearDown(Level.Trial)
    public void stopRuntimes() {
        golab.close();
    }
}
