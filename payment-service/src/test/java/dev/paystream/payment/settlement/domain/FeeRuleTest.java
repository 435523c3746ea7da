package dev.paystream.payment.settlement.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CONTRACT §8: a payment's fee is round_half_up(amount × 2.9 %) + 30 minor units by default, computed exactly. */
class FeeRuleTest {

    private static final FeeRule DEFAULT = FeeRule.of("2.9", 30);

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "5000, 175",      // 145 + 30
            "500, 45",        // 14.5 rounds up to 15
            "1500, 74",       // 43.5 rounds up to 44
            "1, 30",          // 0.029 rounds down to 0
            "17, 30",         // 0.493 rounds down
            "18, 31",         // 0.522 rounds up
            "333, 40",        // 9.657: ¥333 pays ¥40 in a zero-decimal currency all the same
            "99999999, 2900030"})
    void theDefaultRuleRoundsHalfUp(long amount, long fee) {
        assertThat(DEFAULT.feeFor(amount)).isEqualTo(fee);
    }

    @Test
    void everyAmountUpToAHundredThousandAgreesWithDecimalArithmetic() {
        for (long amount = 0; amount <= 100_000; amount++) {
            long expected = BigDecimal.valueOf(amount).multiply(new BigDecimal("0.029")).setScale(0, RoundingMode.HALF_UP).longValueExact() + 30;
            assertThat(DEFAULT.feeFor(amount)).as("fee of %d", amount).isEqualTo(expected);
        }
    }

    @Test
    void otherRatesAndFixedPartsAreConfigurable() {
        assertThat(FeeRule.of("3", 0).feeFor(1000)).isEqualTo(30);
        assertThat(FeeRule.of("0.25", 10).feeFor(200)).isEqualTo(11);
        assertThat(FeeRule.of("1.4", 25)).isEqualTo(new FeeRule(14, 1000, 25));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2,9", "-1", "abc", "", "2.", "1000"})
    void aRateThatIsNoPercentageIsRefused(String percent) {
        assertThatThrownBy(() -> FeeRule.of(percent, 30)).isInstanceOf(IllegalArgumentException.class);
    }
}
