package dev.paystream.ledger.journal.adapter.r2dbc;

import dev.paystream.ledger.journal.application.Journal;
import dev.paystream.ledger.journal.application.SettlementFact;
import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalLine;
import dev.paystream.platform.consumer.EventClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The journal in PostgreSQL. It only ever inserts; the tables refuse anything else. */
public final class R2dbcJournal implements Journal {

    /**
     * One statement for a whole batch of events: the claims in {@code processed_events} (the platform's
     * {@link EventClaims#CLAIM}, under the consumer's name), then the entries and their lines only for the
     * events claimed now. A duplicate inserts nothing; balance and ownership are checked by the database
     * at the end of the statement. The facts of settlement (drift checks) are inserted the same way, for
     * the events claimed now. The rows travel as arrays, so the statement's text is the same whatever the
     * batch's size.
     */
    private static final String APPEND = "WITH " + EventClaims.CLAIM + """
            ,
            entry AS (
                INSERT INTO journal_entries (id, event_id, payment_id, payout_id, settlement_id, merchant_id, created_at)
                SELECT e.id, e.event_id,
                       CASE e.subject_kind WHEN 'payment_id' THEN e.subject_id END,
                       CASE e.subject_kind WHEN 'payout_id' THEN e.subject_id END,
                       CASE e.subject_kind WHEN 'settlement_id' THEN e.subject_id END,
                       e.merchant_id, e.created_at
                FROM unnest(CAST(:entryIds AS TEXT[]), CAST(:entryEventIds AS TEXT[]), CAST(:subjectKinds AS TEXT[]),
                            CAST(:subjectIds AS TEXT[]), CAST(:merchantIds AS TEXT[]), CAST(CAST(:createdAts AS TEXT[]) AS TIMESTAMPTZ[]))
                     AS e (id, event_id, subject_kind, subject_id, merchant_id, created_at)
                JOIN claim ON claim.event_id = e.event_id
                RETURNING id, merchant_id),
            line AS (
                INSERT INTO journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit)
                SELECT l.entry_id, l.line_no, entry.merchant_id, l.account, l.currency, l.debit, l.credit
                FROM unnest(CAST(:lineEntryIds AS TEXT[]), CAST(:lineNos AS SMALLINT[]), CAST(:accounts AS TEXT[]),
                            CAST(:currencies AS TEXT[]), CAST(:debits AS BIGINT[]), CAST(:credits AS BIGINT[]))
                     AS l (entry_id, line_no, account, currency, debit, credit)
                JOIN entry ON entry.id = l.entry_id),
            settled_payment AS (
                INSERT INTO settled_payments (event_id, settlement_id, payment_id, merchant_id, currency, amount, fee_amount)
                SELECT p.event_id, p.settlement_id, p.payment_id, p.merchant_id, p.currency, p.amount, p.fee_amount
                FROM unnest(CAST(:settledEventIds AS TEXT[]), CAST(:settledSettlementIds AS TEXT[]), CAST(:settledPaymentIds AS TEXT[]),
                            CAST(:settledMerchantIds AS TEXT[]), CAST(:settledCurrencies AS TEXT[]), CAST(:settledAmounts AS BIGINT[]),
                            CAST(:settledFees AS BIGINT[]))
                     AS p (event_id, settlement_id, payment_id, merchant_id, currency, amount, fee_amount)
                JOIN claim ON claim.event_id = p.event_id),
            settlement_batch AS (
                INSERT INTO settlement_batches (event_id, settlement_id, merchant_id, currency, payment_count, refund_count,
                                                gross_amount, refunded_amount, fee_amount, net_amount)
                SELECT b.event_id, b.settlement_id, b.merchant_id, b.currency, b.payment_count, b.refund_count, b.gross_amount,
                       b.refunded_amount, b.fee_amount, b.net_amount
                FROM unnest(CAST(:batchEventIds AS TEXT[]), CAST(:batchSettlementIds AS TEXT[]), CAST(:batchMerchantIds AS TEXT[]),
                            CAST(:batchCurrencies AS TEXT[]), CAST(:batchPaymentCounts AS BIGINT[]), CAST(:batchRefundCounts AS BIGINT[]),
                            CAST(:batchGross AS BIGINT[]), CAST(:batchRefunded AS BIGINT[]), CAST(:batchFees AS BIGINT[]),
                            CAST(:batchNet AS BIGINT[]))
                     AS b (event_id, settlement_id, merchant_id, currency, payment_count, refund_count, gross_amount, refunded_amount,
                           fee_amount, net_amount)
                JOIN claim ON claim.event_id = b.event_id)
            SELECT event_id FROM claim""";

    private final DatabaseClient database;
    private final String consumer;

    /**
     * @param consumer the name of the consumer whose claims these are
     */
    public R2dbcJournal(DatabaseClient database, String consumer) {
        this.database = database;
        this.consumer = consumer;
    }

    @Override
    public Mono<Set<String>> appendOnce(List<Claim> claims, List<JournalEntry> entries, List<SettlementFact> facts) {
        if (claims.isEmpty()) {
            return Mono.just(Set.of());
        }
        List<String> eventIds = new ArrayList<>(claims.size());
        List<String> eventTypes = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            eventIds.add(claim.eventId());
            eventTypes.add(claim.eventType());
        }
        List<String> entryIds = new ArrayList<>(entries.size());
        List<String> entryEventIds = new ArrayList<>(entries.size());
        List<String> subjectKinds = new ArrayList<>(entries.size());
        List<String> subjectIds = new ArrayList<>(entries.size());
        List<String> merchantIds = new ArrayList<>(entries.size());
        List<String> createdAts = new ArrayList<>(entries.size());
        List<String> lineEntryIds = new ArrayList<>();
        List<Short> lineNos = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<String> currencies = new ArrayList<>();
        List<Long> debits = new ArrayList<>();
        List<Long> credits = new ArrayList<>();
        for (JournalEntry entry : entries) {
            entryIds.add(entry.id().value());
            entryEventIds.add(entry.eventId());
            subjectKinds.add(entry.subject().kind().idField());
            subjectIds.add(entry.subject().id());
            merchantIds.add(entry.merchantId());
            createdAts.add(entry.createdAt().toString());
            List<JournalLine> lines = entry.lines();
            for (int index = 0; index < lines.size(); index++) {
                JournalLine line = lines.get(index);
                lineEntryIds.add(entry.id().value());
                lineNos.add((short) (index + 1));
                accounts.add(line.account().code());
                currencies.add(line.currency().getCurrencyCode());
                debits.add(line.debit());
                credits.add(line.credit());
            }
        }
        List<SettlementFact.SettledPayment> settled = new ArrayList<>();
        List<SettlementFact.SettledBatch> batches = new ArrayList<>();
        for (SettlementFact fact : facts) {
            if (fact instanceof SettlementFact.SettledPayment payment) {
                settled.add(payment);
            } else if (fact instanceof SettlementFact.SettledBatch batch) {
                batches.add(batch);
            }
        }
        return EventClaims.bind(database.sql(APPEND), consumer, eventIds, eventTypes)
                .bind("entryIds", entryIds.toArray(String[]::new))
                .bind("entryEventIds", entryEventIds.toArray(String[]::new))
                .bind("subjectKinds", subjectKinds.toArray(String[]::new))
                .bind("subjectIds", subjectIds.toArray(String[]::new))
                .bind("merchantIds", merchantIds.toArray(String[]::new))
                .bind("createdAts", createdAts.toArray(String[]::new))
                .bind("lineEntryIds", lineEntryIds.toArray(String[]::new))
                .bind("lineNos", lineNos.toArray(Short[]::new))
                .bind("accounts", accounts.toArray(String[]::new))
                .bind("currencies", currencies.toArray(String[]::new))
                .bind("debits", debits.toArray(Long[]::new))
                .bind("credits", credits.toArray(Long[]::new))
                .bind("settledEventIds", settled.stream().map(SettlementFact::eventId).toArray(String[]::new))
                .bind("settledSettlementIds", settled.stream().map(SettlementFact.SettledPayment::settlementId).toArray(String[]::new))
                .bind("settledPaymentIds", settled.stream().map(SettlementFact.SettledPayment::paymentId).toArray(String[]::new))
                .bind("settledMerchantIds", settled.stream().map(SettlementFact.SettledPayment::merchantId).toArray(String[]::new))
                .bind("settledCurrencies", settled.stream().map(SettlementFact.SettledPayment::currency).toArray(String[]::new))
                .bind("settledAmounts", settled.stream().map(SettlementFact.SettledPayment::amount).toArray(Long[]::new))
                .bind("settledFees", settled.stream().map(SettlementFact.SettledPayment::feeAmount).toArray(Long[]::new))
                .bind("batchEventIds", batches.stream().map(SettlementFact::eventId).toArray(String[]::new))
                .bind("batchSettlementIds", batches.stream().map(SettlementFact.SettledBatch::settlementId).toArray(String[]::new))
                .bind("batchMerchantIds", batches.stream().map(SettlementFact.SettledBatch::merchantId).toArray(String[]::new))
                .bind("batchCurrencies", batches.stream().map(SettlementFact.SettledBatch::currency).toArray(String[]::new))
                .bind("batchPaymentCounts", batches.stream().map(SettlementFact.SettledBatch::paymentCount).toArray(Long[]::new))
                .bind("batchRefundCounts", batches.stream().map(SettlementFact.SettledBatch::refundCount).toArray(Long[]::new))
                .bind("batchGross", batches.stream().map(SettlementFact.SettledBatch::grossAmount).toArray(Long[]::new))
                .bind("batchRefunded", batches.stream().map(SettlementFact.SettledBatch::refundedAmount).toArray(Long[]::new))
                .bind("batchFees", batches.stream().map(SettlementFact.SettledBatch::feeAmount).toArray(Long[]::new))
                .bind("batchNet", batches.stream().map(SettlementFact.SettledBatch::netAmount).toArray(Long[]::new))
                .map(row -> row.get("event_id", String.class))
                .all()
                .collect(Collectors.toSet());
    }
}
