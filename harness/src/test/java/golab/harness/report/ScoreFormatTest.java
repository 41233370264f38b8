package golab.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScoreFormatTest {

    @Test
    void scoreKeepsTheDecimalsOfTwoSignificantDigitsOfItsError() {
        assertThat(ScoreFormat.scoreWithError(0.5, 0.0123)).isEqualTo("0.500 ± 0.012");
        assertThat(ScoreFormat.scoreWithError(2400.0, 120.0)).isEqualTo("2400 ± 120");
        assertThat(ScoreFormat.scoreWithError(123.456, 5.63)).isEqualTo("123.5 ± 5.6");
        assertThat(ScoreFormat.scoreWithError(1234567.8, 23456.7)).isEqualTo("1234568 ± 23457");
    }

    @Test
    void withoutAnErrorFourSignificantDigits() {
        assertThat(ScoreFormat.scoreWithError(5000.0, Double.NaN)).isEqualTo("5000");
        assertThat(ScoreFormat.scoreWithError(4.29876, Double.NaN)).isEqualTo("4.299");
        assertThat(ScoreFormat.scoreWithError(123456.7, 0)).isEqualTo("123457");
    }

    @Test
    void ratiosHaveThreeSignificantDigits() {
        assertThat(ScoreFormat.ratio(2.0)).isEqualTo("2.00");
        assertThat(ScoreFormat.ratio(0.0123456)).isEqualTo("0.0123");
        assertThat(ScoreFormat.ratio(12.345)).isEqualTo("12.3");
        assertThat(ScoreFormat.ratio(0)).isEqualTo("0");
    }
}
