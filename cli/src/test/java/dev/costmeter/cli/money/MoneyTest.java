package dev.costmeter.cli.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({
        "2.50, 2500000000",
        "0.008, 8000000",
        "0, 0",
        "10, 10000000000",
        "0.000000001, 1",
        "1.250000000, 1250000000",
        "2.5000000000, 2500000000",
        "0.00875, 8750000",
        "75.00, 75000000000",
        "9223372036.854775807, 9223372036854775807"})
    void shouldConvertDecimalUsdToNanosExactly(String decimal, long nanos) {
        assertThat(Money.parseUsd(decimal)).isEqualTo(nanos);
    }

    @Test
    void shouldRejectSubNanoPrecision() {
        assertThatThrownBy(() -> Money.parseUsd("0.0000000001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"0.0000000001\" has more than 9 decimal places (finer than one nano-USD)");
    }

    @Test
    void shouldRejectNegativeRates() {
        assertThatThrownBy(() -> Money.parseUsd("-1.00")).hasMessage("negative rate \"-1.00\"");
    }

    @Test
    void shouldRejectWhatIsNotAPlainDecimal() {
        assertThatThrownBy(() -> Money.parseUsd("1e3")).hasMessage("\"1e3\" is not a plain decimal number such as \"2.50\"");
        assertThatThrownBy(() -> Money.parseUsd("$2.50")).hasMessage("\"$2.50\" is not a plain decimal number such as \"2.50\"");
        assertThatThrownBy(() -> Money.parseUsd("")).hasMessage("\"\" is not a plain decimal number such as \"2.50\"");
        assertThatThrownBy(() -> Money.parseUsd(".5")).hasMessage("\".5\" is not a plain decimal number such as \"2.50\"");
    }

    @Test
    void shouldRejectRatesBeyondALong() {
        assertThatThrownBy(() -> Money.parseUsd("9223372036.854775808")).hasMessage("\"9223372036.854775808\" is too large");
    }

    @ParameterizedTest
    @CsvSource({
        "0, $0.000000",
        "1, $0.000000",
        "499, $0.000000",
        "500, $0.000001",
        "1000, $0.000001",
        "12345678500, $12.345679",
        "12345678499, $12.345678",
        "2500000000, $2.500000",
        "-1500, -$0.000002",
        "-1499, -$0.000001",
        "-400, $0.000000",
        "9223372036854775807, $9223372036.854776",
        "-9223372036854775808, -$9223372036.854776"})
    void shouldFormatNanosAsDollarsWithSixDecimalsRoundedHalfUp(long nanos, String formatted) {
        assertThat(Money.format(nanos)).isEqualTo(formatted);
    }

    @ParameterizedTest
    @CsvSource({
        "2500000000, $2.50",
        "8750000, $0.00875",
        "0, $0.00",
        "1, $0.000000001",
        "75000000000, $75.00",
        "125000000, $0.125"})
    void shouldFormatRatesExactlyWithAtLeastTwoDecimals(long nanos, String formatted) {
        assertThat(Money.formatRate(nanos)).isEqualTo(formatted);
    }
}
