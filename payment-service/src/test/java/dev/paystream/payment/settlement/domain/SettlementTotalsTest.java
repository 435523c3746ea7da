package dev.paystream.payment.settlement.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The totals of a batch are the sums of its lines; refunds count negative in net and positive in refunded. */
class SettlementTotalsTest {

    private static final SettlementId ID = new SettlementId("st_fixture");
    private static final Instant AT = Instant.parse("2026-11-24T00:00:00Z");
    private static final SettlementLine.PaymentFacts PAYMENT = new SettlementLine.PaymentFacts("pay_1", "USD", "card", "visa", "4242",
            "unixuser1", null);

    @Test
    void netIsGrossMinusRefundedMinusFees() {
        List<SettlementLine> lines = List.of(
                SettlementLine.ofPayment(ID, PAYMENT, AT, 5000, 175),
                SettlementLine.ofPayment(ID, new SettlementLine.PaymentFacts("pay_2", "USD", "paypal", null, null, null, null), AT, 10000, 320),
                SettlementLine.ofRefund(ID, PAYMENT, "re_1", AT, 1000));

        SettlementTotals totals = SettlementTotals.of(lines);

        assertThat(totals).isEqualTo(new SettlementTotals(2, 1, 15000, 1000, 495, 13505));
        assertThat(lines.stream().mapToLong(SettlementLine::netAmount).sum()).isEqualTo(totals.netAmount());
    }

    @Test
    void aBatchOfRefundsOnlyHasANegativeNetAndNoFees() {
        SettlementTotals totals = SettlementTotals.of(List.of(SettlementLine.ofRefund(ID, PAYMENT, "re_1", AT, 1000)));

        assertThat(totals).isEqualTo(new SettlementTotals(0, 1, 0, 1000, 0, -1000));
        assertThat(Settlement.complete(ID, "mer_1", "USD", totals, AT)).isPresent();
        assertThat(Settlement.complete(ID, "mer_1", "USD", SettlementTotals.NONE, AT)).isEmpty();
    }
}
