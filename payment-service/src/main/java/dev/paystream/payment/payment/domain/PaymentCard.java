package dev.paystream.payment.payment.domain;

import java.time.YearMonth;
import java.util.Optional;

/**
 * A card as the client sent it. It lives only for the duration of one authorization: the number
 * and the CVC are never stored, logged or published, and {@link #toString()} masks them.
 */
public record PaymentCard(String number, int expMonth, int expYear, String cvc, String holder) {

    /** A reason the card cannot be used, naming the request field it concerns. */
    public record Invalid(String field, String detail) {
    }

    /** Checks the number (digits, length, Luhn), the expiry against {@code currentMonth} and the CVC. */
    public Optional<Invalid> validate(YearMonth currentMonth) {
        if (number == null || !number.matches("[0-9]{12,19}")) {
            return Optional.of(new Invalid("card.number", "card.number must be 12 to 19 digits"));
        }
        if (!passesLuhnCheck(number)) {
            return Optional.of(new Invalid("card.number", "card.number is not a valid card number"));
        }
        if (expMonth < 1 || expMonth > 12) {
            return Optional.of(new Invalid("card.exp_month", "card.exp_month must be 1 to 12"));
        }
        if (expYear < 2000 || expYear > 2100) {
            return Optional.of(new Invalid("card.exp_year", "card.exp_year must be a four-digit year"));
        }
        if (YearMonth.of(expYear, expMonth).isBefore(currentMonth)) {
            return Optional.of(new Invalid("card.exp_year", "the card expired in " + YearMonth.of(expYear, expMonth)));
        }
        if (cvc == null || !cvc.matches("[0-9]{3,4}")) {
            return Optional.of(new Invalid("card.cvc", "card.cvc must be 3 or 4 digits"));
        }
        return Optional.empty();
    }

    public CardSummary summary() {
        return new CardSummary(brand(), number.substring(number.length() - 4), expMonth, expYear);
    }

    /** The card network, from the number's leading digits (IIN ranges). */
    public String brand() {
        if (number.startsWith("4")) {
            return "visa";
        }
        if (number.startsWith("34") || number.startsWith("37")) {
            return "amex";
        }
        int firstTwo = Integer.parseInt(number.substring(0, 2));
        int firstFour = Integer.parseInt(number.substring(0, 4));
        if ((firstTwo >= 51 && firstTwo <= 55) || (firstFour >= 2221 && firstFour <= 2720)) {
            return "mastercard";
        }
        if (number.startsWith("6011") || number.startsWith("65") || (firstFour >= 6440 && firstFour <= 6499)) {
            return "discover";
        }
        return "unknown";
    }

    static boolean passesLuhnCheck(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubleIt) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    @Override
    public String toString() {
        String last4 = number != null && number.length() >= 4 ? number.substring(number.length() - 4) : "????";
        return "PaymentCard[number=****" + last4 + ", exp=" + expMonth + "/" + expYear + ", cvc=***]";
    }
}
