package dev.paystream.ledger;

import static dev.paystream.ledger.support.PaymentEvents.captured;
import static dev.paystream.ledger.support.PaymentEvents.newMerchantId;
import static dev.paystream.ledger.support.PaymentEvents.newPaymentId;
import static dev.paystream.ledger.support.Broker.publish;
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
    void refusesToCommitAnEntryThatBalancesOnlyAcrossCurrencies() {
        String merchantId = newMerchantId();
        Mono<Long> acrossCurrencies = insertEntry("je_00000000000000000000001a", merchantId)
                .then(insertLine("je_00000000000000000000001a", 1, merchantId, "customer_funds", "USD", 5000, 0))
                .then(insertLine("je_00000000000000000000001a", 2, merchantId, "merchant_pending", "EUR", 0, 5000));

        assertThatThrownBy(() -> TransactionalOperator.create(transactionManager).transactional(acrossCurrencies).block())
                .hasMessageContaining("journal entry je_00000000000000000000001a does not balance");
        assertThat(count("SELECT count(*) FROM journal_entries WHERE merchant_id = :id", merchantId)).isZero();
    }

    @Test
    void refusesAnEntryAboutBothAPaymentAndAPayoutOrAboutNothing() {
        String merchantId = newMerchantId();

        assertThatThrownBy(() -> database.sql("""
                        INSERT INTO journal_entries (id, event_id, payment_id, payout_id, merchant_id, created_at)
                        VALUES ('je_00000000000000000000001b', 'evt_1b', 'pay_1', 'po_1', :merchantId, now())""")
                .bind("merchantId", merchantId).fetch().rowsUpdated().block())
                .hasMessageContaining("journal_entries_about_one_object");
        assertThatThrownBy(() -> database.sql("""
                        INSERT INTO journal_entries (id, event_id, merchant_id, created_at)
                        VALUES ('je_00000000000000000000001c', 'evt_1c', :merchantId, now())""")
                .bind("merchantId", merchantId).fetch().rowsUpdated().block())
                .hasMessageContaining("journal_entries_about_one_object");
    }

    @Test
    void refusesToCommitAnEntryWithFewerThanTwoLines() {
        String merchantId = newMerchantId();
        Mono<Long> oneLine = insertEntry("je_00000000000000000000000c", merchantId)
                .then(insertLine("je_00000000000000000000000c", 1, merchantId, "customer_funds", 5000, 0));
        Mono<Long> noLine = insertEntry("je_00000000000000000000000d", merchantId);

        assertThatThrownBy(() -> TransactionalOperator.create(transactionManager).transactional(oneLine).block())
                .hasMessageContaining("journal entry je_00000000000000000000000c has fewer than two lines");
        assertThatThrownBy(() -> TransactionalOperator.create(transactionManager).transactional(noLine).block())
                .hasMessageContaining("journal entry je_00000000000000000000000d has fewer than two lines");
        assertThat(count("SELECT count(*) FROM journal_entries WHERE merchant_id = :id", merchantId)).isZero();
    }

    @Test
    void acceptsAnEntryBalancedInEachOfTwoCurrencies() {
        String merchantId = newMerchantId();
        Mono<Long> twoCurrencies = insertEntry("je_00000000000000000000000e", merchantId)
                .then(insertLine("je_00000000000000000000000e", 1, merchantId, "customer_funds", 5000, 0))
                .then(insertLine("je_00000000000000000000000e", 2, merchantId, "merchant_pending", 0, 5000))
                .then(insertLine("je_00000000000000000000000e", 3, merchantId, "customer_funds", "EUR", 700, 0))
                .then(insertLine("je_00000000000000000000000e", 4, merchantId, "merchant_pending", "EUR", 0, 700));

        TransactionalOperator.create(transactionManager).transactional(twoCurrencies).block();

        assertThat(count("SELECT count(*) FROM journal_lines WHERE merchant_id = :id", merchantId)).isEqualTo(4);
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
        return insertLine(entryId, lineNo, merchantId, account, "USD", debit, credit);
    }

    private Mono<Long> insertLine(String entryId, int lineNo, String merchantId, String account, String currency, long debit,
                                  long credit) {
        return database.sql("""
                        INSERT INTO journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit)
                        VALUES (:entryId, :lineNo, :merchantId, :account, :currency, :debit, :credit)""")
                .bind("entryId", entryId).bind("lineNo", (short) lineNo).bind("merchantId", merchantId)
                .bind("account", account).bind("currency", currency).bind("debit", debit).bind("credit", credit)
                .fetch().rowsUpdated();
    }
}
