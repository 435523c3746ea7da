package dev.paystream.ledger;

import static dev.paystream.ledger.support.PaymentEvents.captured;
import static dev.paystream.ledger.support.PaymentEvents.newMerchantId;
import static dev.paystream.ledger.support.PaymentEvents.newPaymentId;
import static dev.paystream.ledger.support.PaymentsTopic.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** What the database itself guarantees, even to code that goes around the domain. */
class JournalTablesIntegrationTest extends LedgerIntegrationTestBase {

    @Autowired
    ReactiveTransactionManager transactionManager;

    @Test
    void refusesToChangeOrRemoveARecordedLine() {
        String merchantId = newMerchantId();
        String paymentId = newPaymentId();
        publish(captured(merchantId, paymentId, 5000, "USD", Instant.parse("2026-11-23T18:30:01Z")));
        await().atMost(Duration.ofSeconds(30)).until(() -> entriesOf(merchantId, paymentId).size() == 1);

        assertThatThrownBy(() -> database.sql("UPDATE journal_lines SET debit = debit + 1 WHERE merchant_id = :id")
                .bind("id", merchantId).fetch().rowsUpdated().block())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.sql("DELETE FROM journal_entries WHERE merchant_id = :id")
                .bind("id", merchantId).fetch().rowsUpdated().block())
                .hasMessageContaining("append-only");
        assertThat(entriesOf(merchantId, paymentId).get(0).get("lines").get(0).get("debit").asLong()).isEqualTo(5000);
    }

    @Test
    void refusesToCommitAnEntryThatDoesNotBalance() {
        String merchantId = newMerchantId();
        Mono<Long> unbalanced = insertEntry("je_00000000000000000000000a", merchantId)
                .then(insertLine("je_00000000000000000000000a", 1, merchantId, "customer_funds", 5000, 0))
                .then(insertLine("je_00000000000000000000000a", 2, merchantId, "merchant_pending", 0, 4999));

        assertThatThrownBy(() -> TransactionalOperator.create(transactionManager).transactional(unbalanced).block())
                .hasMessageContaining("does not balance");
        assertThat(count("SELECT count(*) FROM journal_entries WHERE merchant_id = :id", merchantId)).isZero();
    }

    @Test
    void refusesALineThatIsBothADebitAndACredit() {
        String merchantId = newMerchantId();
        Mono<Long> bothSides = insertEntry("je_00000000000000000000000b", merchantId)
                .then(insertLine("je_00000000000000000000000b", 1, merchantId, "customer_funds", 5000, 5000));

        assertThatThrownBy(() -> TransactionalOperator.create(transactionManager).transactional(bothSides).block())
                .hasMessageContaining("journal_lines_one_side");
    }

    private Mono<Long> insertEntry(String entryId, String merchantId) {
        return database.sql("""
                        INSERT INTO journal_entries (id, event_id, payment_id, merchant_id, created_at)
                        VALUES (:id, :eventId, 'pay_1', :merchantId, now())""")
                .bind("id", entryId).bind("eventId", "evt_" + entryId).bind("merchantId", merchantId)
                .fetch().rowsUpdated();
    }

    private Mono<Long> insertLine(String entryId, int lineNo, String merchantId, String account, long debit, long credit) {
        return database.sql("""
                        INSERT INTO journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit)
                        VALUES (:entryId, :lineNo, :merchantId, :account, 'USD', :debit, :credit)""")
                .bind("entryId", entryId).bind("lineNo", (short) lineNo).bind("merchantId", merchantId)
                .bind("account", account).bind("debit", debit).bind("credit", credit)
                .fetch().rowsUpdated();
    }
}
