package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GODEBUG=schedtrace=N[,scheddetail=1]} prints Go 1.21+'s exact SCHED lines. */
@Timeout(60)
class SchedTraceTest {

    private static final Pattern SUMMARY = Pattern.compile(
            "SCHED \\d+ms: gomaxprocs=2 idleprocs=\\d+ threads=\\d+ spinningthreads=\\d+ needspinning=[01] "
                    + "idlethreads=\\d+ runqueue=\\d+ \\[\\d+ \\d+]");
    private static final Pattern DETAIL_SUMMARY = Pattern.compile(
            "SCHED \\d+ms: gomaxprocs=2 idleprocs=\\d+ threads=\\d+ spinningthreads=\\d+ needspinning=[01] "
                    + "idlethreads=\\d+ runqueue=\\d+ gcwaiting=(true|false) nmidlelocked=\\d+ stopwait=\\d+ sysmonwait=(true|false)");
    private static final Pattern P_LINE = Pattern.compile(
            "  P[01]: status=[0-4] schedtick=\\d+ syscalltick=\\d+ m=(\\d+|nil) runqsize=\\d+ gfreecnt=\\d+ timerslen=\\d+");
    private static final Pattern M_LINE = Pattern.compile(
            "  M\\d+: p=(\\d+|nil) curg=(\\d+|nil) mallocing=0 throwing=0 preemptoff= locks=0 dying=0 "
                    + "spinning=(true|false) blocked=(true|false) lockedg=nil");
    private static final Pattern G_LINE = Pattern.compile("  G\\d+: status=\\d\\([^)]*\\) m=(\\d+|nil) lockedm=nil");

    @Test
    void summaryLinesEveryPeriod() {
        List<String> lines = trace("schedtrace=10");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(SUMMARY));
        assertThat(lines.getFirst()).startsWith("SCHED 0ms: ");
    }

    @Test
    void detailedLinesForEveryPMAndG() {
        List<String> lines = trace("schedtrace=10,scheddetail=1");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(DETAIL_SUMMARY));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(P_LINE));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(M_LINE));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("  G1: status=4\\(sleep\\) m=nil lockedm=nil"));
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(
                DETAIL_SUMMARY.pattern() + "|" + P_LINE.pattern() + "|" + M_LINE.pattern() + "|" + G_LINE.pattern()));
    }

    private static List<String> trace(String godebug) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GoConfig config = GoConfig.defaults().withGomaxprocs(2).withGodebug(godebug)
                .withStderr(new PrintStream(err, true));
        GoRuntime.run(config, () -> {
            Go.go(() -> Go.sleep(Duration.ofSeconds(10)));
            Go.sleep(Duration.ofMillis(60));
        });
        return err.toString().lines().toList();
    }
}
