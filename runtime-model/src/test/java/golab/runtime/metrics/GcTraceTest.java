package golab.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GODEBUG=gctrace=1} lines in Go's exact format. */
class GcTraceTest {

    // Printed by Go 1.19.8, 1.23.5 and 1.23.5 (forced) on a 2-CPU machine.
    private static final String GO119 = "gc 24 @0.301s 12%: 0.010+10+0.023 ms clock, 0.021+0.21/0.44/4.7+0.047 ms cpu, "
            + "52->64->33 MB, 62 MB goal, 0 MB stacks, 0 MB globals, 2 P";
    private static final String GO123 = "gc 32 @0.196s 5%: 0.017+2.8+0.071 ms clock, 0.034+0.20/0.93/1.3+0.14 ms cpu, "
            + "43->49->27 MB, 50 MB goal, 0 MB stacks, 0 MB globals, 2 P";
    private static final String GO123_FORCED = "gc 35 @0.252s 5%: 0.17+1.7+0.002 ms clock, 0.34+0/1.1/1.3+0.005 ms cpu, "
            + "44->44->21 MB, 61 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)";

    private static final long MB = 1 << 20;

    @ParameterizedTest
    @ValueSource(strings = {GO119, GO123, GO123_FORCED})
    void realGoLinesMatch(String line) {
        assertThat(GcTrace.LINE.matcher(line).matches()).isTrue();
    }

    @Test
    void groupsHoldEveryField() {
        Matcher m = GcTrace.LINE.matcher(GO119);
        assertThat(m.matches()).isTrue();
        String[][] expected = {
            {"cycle", "24"}, {"seconds", "0.301"}, {"util", "12"},
            {"sweepTerm", "0.010"}, {"mark", "10"}, {"markTerm", "0.023"},
            {"sweepTermCpu", "0.021"}, {"assistCpu", "0.21"}, {"backgroundCpu", "0.44"}, {"idleCpu", "4.7"},
            {"markTermCpu", "0.047"},
            {"heap0", "52"}, {"heap1", "64"}, {"heap2", "33"}, {"goal", "62"}, {"stacks", "0"}, {"globals", "0"},
            {"procs", "2"}, {"forced", null},
        };
        for (String[] e : expected) {
            assertThat(m.group(e[0])).as(e[0]).isEqualTo(e[1]);
        }
        Matcher forced = GcTrace.LINE.matcher(GO123_FORCED);
        assertThat(forced.matches()).isTrue();
        assertThat(forced.group("forced")).isEqualTo(" (forced)");
        assertThat(forced.group("assistCpu")).isEqualTo("0");
    }

    @Test
    void theDocumentedGlobalsSpellingIsNotWhatGoPrints() {
        assertThat(GcTrace.LINE.matcher(GO119.replace("0 MB globals", "0MB globals")).matches()).isFalse();
    }

    @Test
    void reproducesGo119Line() {
        // Low-order digits below what is printed check that every field truncates, as Go does.
        var c = new GcTrace.Cycle(24, 301_999_999, 0.129,
                10_999, 10_999_999, 23_999,
                21_999, 219_999, 449_999, 4_799_999, 47_999,
                52 * MB + MB - 1, 64 * MB + 12345, 33 * MB, 62 * MB + 1, MB - 1, 300_000, 2, false);
        assertThat(GcTrace.format(c)).isEqualTo(GO119).matches(GcTrace.LINE);
    }

    @Test
    void reproducesGo123Lines() {
        var c = new GcTrace.Cycle(32, 196_000_000, 0.05,
                17_000, 2_800_000, 71_000,
                34_000, 200_000, 930_000, 1_300_000, 140_000,
                43 * MB, 49 * MB, 27 * MB, 50 * MB, 64 * 1024, 100_000, 2, false);
        assertThat(GcTrace.format(c)).isEqualTo(GO123);

        var forced = new GcTrace.Cycle(35, 252_000_000, 0.05,
                170_000, 1_700_000, 2_000,
                340_000, 999, 1_100_000, 1_300_000, 5_000,
                44 * MB, 44 * MB, 21 * MB, 61 * MB, 0, 0, 2, true);
        assertThat(GcTrace.format(forced)).isEqualTo(GO123_FORCED);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "999, 0",
        "1000, 0.001",
        "1999, 0.001",
        "10000, 0.010",
        "99999, 0.099",
        "100000, 0.10",
        "999999, 0.99",
        "1000000, 1.0",
        "1234000, 1.2",
        "9999999, 9.9",
        "10000000, 10",
        "10999999, 10",
        "123400000, 123",
        "61234567890, 61234",
    })
    void millisecondsAsGoFormatsThem(long nanos, String expected) {
        assertThat(GcTrace.formatNanosAsMillis(nanos)).isEqualTo(expected);
    }

    @Test
    void secondsSinceStartAndUtilisationTruncate() {
        var c = new GcTrace.Cycle(1, 12_345_678_901L, 0.999,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4 * MB, 0, 0, 8, false);
        assertThat(GcTrace.format(c)).startsWith("gc 1 @12.345s 99%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 0->0->0 MB, 4 MB goal");

        var early = new GcTrace.Cycle(1, 5_000_000, 1.0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, false);
        assertThat(GcTrace.format(early)).startsWith("gc 1 @0.005s 100%: ");
    }

    @Test
    void forcedSuffix() {
        var c = new GcTrace.Cycle(7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, true);
        assertThat(GcTrace.format(c)).endsWith(", 1 P (forced)").matches(GcTrace.LINE);
        var unforced = new GcTrace.Cycle(7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, false);
        assertThat(GcTrace.format(unforced)).endsWith(", 1 P");
    }

    @Test
    void impossibleValuesAreRejected() {
        assertThatThrownBy(() -> GcTrace.formatNanosAsMillis(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GcTrace.Cycle(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GcTrace.Cycle(1, 0, 1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GcTrace.Cycle(1, 0, 0, 0, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
