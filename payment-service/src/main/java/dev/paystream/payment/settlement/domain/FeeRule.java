package dev.paystream.payment.settlement.domain;

/**
 * The fee of a settled payment (CONTRACT §8): {@code round_half_up(amount × rate) + fixed} minor units,
 * {@code 2.9 %} and {@code 30} by default. The rate is kept as an exact fraction, so the fee is computed
 * in integers without rounding errors: {@code 2.9 %} is {@code 29 / 1000}.
 *
 * @param rateNumerator   the rate's numerator, at least 0
 * @param rateDenominator the rate's denominator, at least 1
 * @param fixedMinor      added to every payment's fee, in the payment currency's minor unit
 */
public record FeeRule(long rateNumerator, long rateDenominator, long fixedMinor) {

    /** Digits a percentage may have after its decimal point: enough for any rate a processor charges. */
    static final int PERCENT_DECIMALS_MAX = 6;

    public FeeRule {
        if (rateNumerator < 0 || rateDenominator < 1 || fixedMinor < 0) {
            throw new IllegalArgumentException("a fee rule's rate and fixed part are not negative");
        }
    }

    /** The rule of {@code percent} (such as {@code "2.9"}) plus {@code fixedMinor}. */
    public static FeeRule of(String percent, long fixedMinor) {
        if (percent == null || !percent.matches("\\d{1,3}(\\.\\d{1," + PERCENT_DECIMALS_MAX + "})?")) {
            throw new IllegalArgumentException("a fee percentage is a decimal number such as 2.9, not " + percent);
        }
        int point = percent.indexOf('.');
        String digits = point < 0 ? percent : percent.substring(0, point) + percent.substring(point + 1);
        int decimals = point < 0 ? 0 : percent.length() - point - 1;
        long denominator = 100;
        for (int i = 0; i < decimals; i++) {
            denominator *= 10;
        }
        return new FeeRule(Long.parseLong(digits), denominator, fixedMinor);
    }

    /** The fee of a payment of {@code amountMinor}; half a minor unit rounds up. */
    public long feeFor(long amountMinor) {
        if (amountMinor < 0) {
            throw new IllegalArgumentException("an amount is not negative: " + amountMinor);
        }
        // amount × n stays far below Long.MAX_VALUE: amounts are at most 99,999,999 and n below 10^9.
        long scaled = Math.multiplyExact(amountMinor, rateNumerator);
        long rounded = scaled / rateDenominator + (2 * (scaled % rateDenominator) >= rateDenominator ? 1 : 0);
        return rounded + fixedMinor;
    }
}
