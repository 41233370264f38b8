package golab.harness.bench;

import golab.harness.RunFailure;
import golab.workloads.RecordedWorkload;
import golab.workloads.record.TrialFolder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The JVM flags that every JVM running golab code needs, and how they reach JMH's forks.
 *
 * <p>A JMH fork inherits the host JVM's input arguments unless {@code -jvmArgs} is given, which
 * replaces them ({@code -jvmArgsPrepend}/{@code -jvmArgsAppend} only add). {@code scripts/golab}
 * starts the host with {@link #REQUIRED}, so forks normally inherit them; when the user replaces
 * the inherited flags, {@link #prependRequired} puts them back in front.
 */
public final class ForkJvmFlags {

    /**
     * The launcher's flags, in the single-argument form that JMH passes on verbatim:
     * goroutines are {@code jdk.internal.vm.Continuation}s, so the export is indispensable; the
     * other two keep java.lang.foreign/profilers and JMH's own {@code sun.misc.Unsafe} use free of
     * JDK 25 warnings in every fork's output.
     */
    public static final List<String> REQUIRED = List.of(
            "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    private ForkJvmFlags() {}

    /** Whether the options replace the host's flags in forks ({@code -jvmArgs} given). */
    public static boolean replacesInheritedFlags(Options options) {
        return options.getJvmArgs().hasValue();
    }

    /**
     * The same options with {@link #REQUIRED} placed before any {@code -jvmArgsPrepend} the user
     * gave. Being first on the fork's command line, they lose to a flag the user sets
     * differently (the JVM keeps the last value of a repeated flag), so nothing the user chose is
     * overridden.
     */
    public static Options prependRequired(Options options) {
        List<String> prepend = new ArrayList<>(REQUIRED);
        Collection<String> userPrepend = options.getJvmArgsPrepend().orElse(List.of());
        prepend.addAll(userPrepend);
        return new OptionsBuilder().parent(options).jvmArgsPrepend(prepend.toArray(String[]::new)).build();
    }

    /**
     * The same options with forks told where to record their trials ({@code -D}{@value TrialFolder#PROPERTY}) and
     * the random seed to draw from ({@code -D}{@value RecordedWorkload#SEED_PROPERTY}).
     * The property goes into {@code -jvmArgs}, after the flags forks would have had there (the user's
     * {@code -jvmArgs}, else this JVM's own, which JMH passes by default), and not into {@code -jvmArgsAppend}:
     * a command-line {@code -jvmArgsAppend} replaces every benchmark's {@code @Fork(jvmArgsAppend = ...)}, and
     * with it, say, the {@code -XX:+UseZGC} of a ZGC baseline.
     */
    public static Options recordingInto(Options options, Path trials, long seed) {
        List<String> jvmArgs = new ArrayList<>(options.getJvmArgs().orElse(
                ManagementFactory.getRuntimeMXBean().getInputArguments()));
        jvmArgs.add("-D" + TrialFolder.PROPERTY + "=" + trials.toAbsolutePath());
        jvmArgs.add("-D" + RecordedWorkload.SEED_PROPERTY + "=" + seed);
        return new OptionsBuilder().parent(options).jvmArgs(jvmArgs.toArray(String[]::new)).build();
    }

    /**
     * Fails unless this JVM can use continuations, which is also what its forks inherit: started
     * any other way than through {@code scripts/golab}, every goroutine in a fork would die with
     * an IllegalAccessError, so refuse up front and say how to start it.
     */
    public static void requireOnHost() {
        if (!hostExportsContinuations()) {
            throw new RunFailure("this JVM was started without " + REQUIRED.getFirst()
                    + ", so benchmarks and their JMH forks cannot create goroutines."
                    + " Start golab through scripts/golab, or pass the JVM flags " + String.join(" ", REQUIRED));
        }
    }

    /** Whether {@code java.base} exports {@code jdk.internal.vm} to golab's (unnamed) module. */
    static boolean hostExportsContinuations() {
        return Object.class.getModule().isExported("jdk.internal.vm", ForkJvmFlags.class.getModule());
    }
}
