package dev.paystream.payment.payment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PaymentCardTest {

    private static final YearMonth NOVEMBER_2026 = YearMonth.of(2026, 11);

    @ParameterizedTest
    @CsvSource({"4242424242424242,visa", "5555555555554444,mastercard", "2223003122003222,mastercard",
            "378282246310005,amex", "6011111111111117,discover"})
    void detectsTheBrandOfAValidCard(String number, String brand) {
        PaymentCard card = new PaymentCard(number, 12, 2030, "123", null);

        assertThat(card.validate(NOVEMBER_2026)).isEmpty();
        assertThat(card.summary()).isEqualTo(new CardSummary(brand, number.substring(number.length() - 4), 12, 2030));
    }

    @Test
    void rejectsANumberFailingTheLuhnCheck() {
        assertThat(new PaymentCard("4242424242424241", 12, 2030, "123", null).validate(NOVEMBER_2026))
                .hasValueSatisfying(invalid -> assertThat(invalid.field()).isEqualTo("card.number"));
    }

    @Test
    void rejectsACardThatExpiredLastMonthButAcceptsOneExpiringThisMonth() {
        assertThat(new PaymentCard("4242424242424242", 10, 2026, "123", null).validate(NOVEMBER_2026))
                .hasValueSatisfying(invalid -> assertThat(invalid.field()).isEqualTo("card.exp_year"));
        assertThat(new PaymentCard("4242424242424242", 11, 2026, "123", null).validate(NOVEMBER_2026)).isEmpty();
    }

    @Test
    void rejectsAMalformedCvc() {
        assertThat(new PaymentCard("4242424242424242", 12, 2030, "12", null).validate(NOVEMBER_2026))
                .hasValueSatisfying(invalid -> assertThat(invalid.field()).isEqualTo("card.cvc"));
    }

    @Test
    void neverShowsTheNumberOrCvcInItsStringForm() {
        String shown = new PaymentCard("4242424242424242", 12, 2030, "987", "John Doe").toString();

        assertThat(shown).doesNotContain("4242424242424242").doesNotContain("987").contains("4242");
    }
}
