package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GOGC and GOMEMLIMIT are read as Go reads them, except that golab rejects what Go would silently ignore. */
class GcSettingsTest {

    @Test
    void constants() {
        assertThat(GcSettings.GOGC_OFF).isEqualTo(-1);
        assertThat(GcSettings.DEFAULT_GOGC).isEqualTo(100);
        assertThat(GcSettings.NO_MEMORY_LIMIT).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @CsvSource({"off, -1", "0, 0", "100, 100", "050, 50", "2147483647, 2147483647"})
    void gogcValues(String value, int percent) {
        assertThat(GcSettings.parseGOGC(value)).isEqualTo(percent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "-1", "-50", "+50", "1.5", " 100", "100 ", "OFF", "Off", "100%", "٣"})
    void malformedGogcIsRejected(String value) {
        assertThatThrownBy(() -> GcSettings.parseGOGC(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GOGC=" + value + ": allowed values are \"off\" or a non-negative integer percent");
    }

    @Test
    void gogcBeyondIntIsRejected() {
        assertThatThrownBy(() -> GcSettings.parseGOGC("2147483648"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GOGC=2147483648: allowed values are \"off\" or a non-negative integer percent"
                        + " up to 2147483647");
    }

    @ParameterizedTest
    @CsvSource({
        "off, 9223372036854775807",
        "0, 0",
        "0B, 0",
        "0KiB, 0",
        "1, 1",
        "1B, 1",
        "1KiB, 1024",
        "1MiB, 1048576",
        "1GiB, 1073741824",
        "1TiB, 1099511627776",
        "512MiB, 536870912",
        "007MiB, 7340032",
        "9223372036854775807, 9223372036854775807",
        "9223372036854775807B, 9223372036854775807",
        "8388607TiB, 9223370937343148032",
        "9007199254740991KiB, 9223372036854774784",
    })
    void gomemlimitValues(String value, long bytes) {
        assertThat(GcSettings.parseGOMEMLIMIT(value)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "B", "iB", "KiB", "MiB", "-1", "-0", "-KiB", "+1MiB", "1.5GiB", "0.5", "1e9",
        " 1GiB", "1GiB ", "1 GiB", "OFF", "none", "1PiB", "1EiB", "GiB1", "1GiBB", "٣MiB"})
    void malformedGomemlimitIsRejected(String value) {
        assertThatThrownBy(() -> GcSettings.parseGOMEMLIMIT(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("GOMEMLIMIT=" + value + ": ")
                .hasMessageContaining("B, KiB, MiB, GiB");
    }

    @Test
    void malformedGomemlimitMessageGivesTheSyntax() {
        assertThatThrownBy(() -> GcSettings.parseGOMEMLIMIT("1.5GiB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GOMEMLIMIT=1.5GiB: allowed values are \"off\" or a non-negative integer byte count"
                        + " with an optional suffix B, KiB, MiB, GiB or TiB");
    }

    @ParameterizedTest
    @CsvSource({"512MB, MB", "1KB, KB", "64kB, kB", "2GB, GB", "1TB, TB", "512M, M", "1G, G", "1kib, kib",
        "1KIB, KIB", "1mib, mib", "1PiB, PiB"})
    void decimalAndMisspelledUnitsAreNamed(String value, String unit) {
        assertThatThrownBy(() -> GcSettings.parseGOMEMLIMIT(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GOMEMLIMIT=" + value + ": unit \"" + unit + "\" is not accepted; Go accepts only the"
                        + " suffixes B, KiB, MiB, GiB and TiB (powers of 1024)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999TiB", "8388608TiB", "9007199254740992KiB", "9223372036854775808",
        "9223372036854775808B", "99999999999999999999999MiB"})
    void gomemlimitOverflowIsRejected(String value) {
        assertThatThrownBy(() -> GcSettings.parseGOMEMLIMIT(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GOMEMLIMIT=" + value + ": more than the largest limit, 9223372036854775807 bytes;"
                        + " use \"off\" for no limit");
    }
}
