package dev.paystream.payment.settlement.adapter;

import static dev.paystream.payment.support.Settlements.settleNow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.payment.adapter.r2dbc.R2dbcPaymentEventStore;
import dev.paystream.payment.support.CapturedPayments;
import dev.paystream.payment.support.PaymentServiceTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/** The settlement benchmark's data (bench/settlement.sh) is what the service records, and settles to the fee rule's totals. */
class CapturedPaymentsSettlementIntegrationTest extends PaymentServiceTest {

    /** More than two pages of the default 1,000, the last one partial. */
    private static final int PAYMENTS = 2_345;

    @Autowired
    R2dbcPaymentEventStore payments;

    @Autowired
    DatabaseClient database;

    @Test
    void theBenchmarksPaymentsSettleInOneBatchToTheTotalsOfTheFeeRule() {
        String merchant = newMerchantId();
        CapturedPayments.record(payments, merchant, PAYMENTS);
        long gross = 0;
        long fees = 0;
        for (int index = 0; index < PAYMENTS; index++) {
            gross += CapturedPayments.amount(index);
            fees += CapturedPayments.defaultFee(CapturedPayments.amount(index));
        }

        JsonNode data = settleNow(as(merchant), Map.of("currency", "USD")).get("data");

        assertThat(data).hasSize(1);
        JsonNode settlement = data.get(0);
        assertThat(settlement.get("payment_count").asLong()).isEqualTo(PAYMENTS);
        assertThat(settlement.get("gross_amount").asLong()).isEqualTo(gross);
        assertThat(settlement.get("fee_amount").asLong()).isEqualTo(fees);
        assertThat(settlement.get("net_amount").asLong()).isEqualTo(gross - fees);
        String id = settlement.get("id").asString();
        assertThat(count("SELECT count(*) AS n FROM payment_events WHERE merchant_id = :key AND event_type = 'payment.settled'", merchant))
                .isEqualTo(PAYMENTS);
        assertThat(count("SELECT count(*) AS n FROM payments WHERE merchant_id = :key AND settlement_id IS NULL", merchant)).isZero();
        assertThat(count("SELECT count(*) AS n FROM settlement_lines WHERE settlement_id = :key", id)).isEqualTo(PAYMENTS);
        assertThat(count("SELECT sum(net_amount) AS n FROM settlement_lines WHERE settlement_id = :key", id)).isEqualTo(gross - fees);
        assertThat(count("SELECT count(*) AS n FROM settlement_events WHERE settlement_id = :key", id)).isEqualTo(1);
    }

    private long count(String sql, String key) {
        return database.sql(sql).bind("key", key).map(row -> ((Number) row.get("n")).longValue()).one().block();
    }
}
