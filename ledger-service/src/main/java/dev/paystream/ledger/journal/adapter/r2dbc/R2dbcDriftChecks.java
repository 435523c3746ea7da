package dev.paystream.ledger.journal.adapter.r2dbc;

import dev.paystream.ledger.journal.domain.Drift;
import dev.paystream.ledger.journal.domain.DriftCheck;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The drift checks (ADR 0006, "Drift") as SQL over the journal and the facts of settlement
 * ({@code settled_payments}, {@code settlement_batches}, written with the claims of their events). Each check
 * is a query giving one row per object it checks — merchant, currency, the object's id and its signed
 * difference — summed per currency here. They read whole tables (the trial balance and the clearing check
 * every line, through the index-only {@code journal_lines_by_account}), so they run every
 * {@code paystream.ledger.drift.refresh}, not per request of a scrape.
 */
final class R2dbcDriftChecks {

    /** How many of the largest differences of a check and currency are listed. */
    static final int LARGEST = 5;

    private static final Map<DriftCheck, String> DIFFERENCES = new EnumMap<>(Map.of(
            DriftCheck.TRIAL_BALANCE, """
                    SELECT merchant_id, currency, merchant_id AS subject, sum(debit)::bigint - sum(credit)::bigint AS difference
                    FROM journal_lines GROUP BY merchant_id, currency""",
            DriftCheck.SETTLEMENT_GROSS, """
                    SELECT b.merchant_id, b.currency, b.settlement_id AS subject,
                           b.gross_amount - coalesce((SELECT sum(p.amount) FROM settled_payments p WHERE p.settlement_id = b.settlement_id
                                                      AND p.merchant_id = b.merchant_id AND p.currency = b.currency), 0)::bigint AS difference
                    FROM settlement_batches b""",
            DriftCheck.SETTLEMENT_FEES, """
                    SELECT b.merchant_id, b.currency, b.settlement_id AS subject,
                           b.fee_amount - coalesce((SELECT sum(p.fee_amount) FROM settled_payments p WHERE p.settlement_id = b.settlement_id
                                                    AND p.merchant_id = b.merchant_id AND p.currency = b.currency), 0)::bigint AS difference
                    FROM settlement_batches b""",
            // A capture is the only debit of customer_funds (ADR 0006), so the debits of the payment's entries there are its captures.
            DriftCheck.SETTLED_CAPTURES, """
                    SELECT p.merchant_id, p.currency, p.payment_id AS subject,
                           p.amount - coalesce((SELECT sum(l.debit) FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
                                                WHERE e.payment_id = p.payment_id AND e.merchant_id = p.merchant_id
                                                AND l.account = 'customer_funds' AND l.currency = p.currency), 0)::bigint AS difference
                    FROM settled_payments p""",
            // A refund is the only credit of customer_funds.
            DriftCheck.SETTLEMENT_REFUNDS, """
                    SELECT b.merchant_id, b.currency, b.merchant_id AS subject,
                           greatest(0, b.refunded - coalesce((SELECT sum(l.credit) FROM journal_lines l WHERE l.merchant_id = b.merchant_id
                                                              AND l.currency = b.currency AND l.account = 'customer_funds'), 0))::bigint AS difference
                    FROM (SELECT merchant_id, currency, sum(refunded_amount) AS refunded FROM settlement_batches GROUP BY merchant_id, currency) b""",
            DriftCheck.MERCHANT_PENDING, """
                    WITH accounts AS (
                        SELECT merchant_id, currency,
                               coalesce(sum(credit - debit) FILTER (WHERE account = 'merchant_pending'), 0) AS pending,
                               coalesce(sum(debit) FILTER (WHERE account = 'customer_funds'), 0) AS captured,
                               coalesce(sum(credit) FILTER (WHERE account = 'customer_funds'), 0) AS refunded
                        FROM journal_lines GROUP BY merchant_id, currency),
                    settled AS (
                        SELECT s.merchant_id, s.currency, sum(l.debit) AS captured
                        FROM (SELECT DISTINCT merchant_id, currency, payment_id FROM settled_payments) s
                        JOIN journal_entries e ON e.payment_id = s.payment_id AND e.merchant_id = s.merchant_id
                        JOIN journal_lines l ON l.entry_id = e.id AND l.account = 'customer_funds' AND l.currency = s.currency
                        GROUP BY s.merchant_id, s.currency),
                    batches AS (
                        SELECT merchant_id, currency, sum(refunded_amount) AS refunded FROM settlement_batches GROUP BY merchant_id, currency)
                    SELECT a.merchant_id, a.currency, a.merchant_id AS subject,
                           (a.pending - ((a.captured - coalesce(s.captured, 0)) - (a.refunded - coalesce(b.refunded, 0))))::bigint AS difference
                    FROM accounts a
                    LEFT JOIN settled s ON s.merchant_id = a.merchant_id AND s.currency = a.currency
                    LEFT JOIN batches b ON b.merchant_id = a.merchant_id AND b.currency = a.currency"""));

    private final DatabaseClient database;

    R2dbcDriftChecks(DatabaseClient database) {
        this.database = database;
    }

    /**
     * Every check in every currency any check saw, 0 where a check found nothing; by check, then currency.
     * With {@code merchantId}, only that merchant's objects (an operator's question; the filter applies to
     * each check's rows, after they were computed).
     */
    Mono<List<Drift>> run(String merchantId) {
        return Flux.fromArray(DriftCheck.values())
                .concatMap(check -> bound(database.sql(perCurrency(DIFFERENCES.get(check), merchantId != null)), merchantId)
                        .map(row -> new Drift(check, row.get("currency", String.class), row.get("amount", Long.class),
                                row.get("differing", Long.class), largest(row.get("merchants", String[].class),
                                row.get("subjects", String[].class), row.get("differences", Long[].class))))
                        .all())
                .collectList()
                .map(R2dbcDriftChecks::everyCheckInEveryCurrency);
    }

    private static DatabaseClient.GenericExecuteSpec bound(DatabaseClient.GenericExecuteSpec statement, String merchantId) {
        return merchantId == null ? statement : statement.bind("merchantId", merchantId);
    }

    private static String perCurrency(String differences, boolean ofOneMerchant) {
        // "[1 : n]", not "[1:n]": the named-parameter parser would take ":n" for a parameter.
        String largest = " ORDER BY abs(difference) DESC, merchant_id, subject) FILTER (WHERE difference <> 0))[1 : " + LARGEST + "]";
        return "SELECT currency, coalesce(sum(abs(difference)), 0)::bigint AS amount, count(*) FILTER (WHERE difference <> 0) AS differing,"
                + " (array_agg(merchant_id" + largest + " AS merchants,"
                + " (array_agg(subject" + largest + " AS subjects,"
                + " (array_agg(difference" + largest + " AS differences"
                + " FROM (" + differences + ") AS d" + (ofOneMerchant ? " WHERE merchant_id = :merchantId" : "") + " GROUP BY currency";
    }

    private static List<Drift.Difference> largest(String[] merchants, String[] subjects, Long[] differences) {
        List<Drift.Difference> largest = new ArrayList<>();
        for (int index = 0; merchants != null && index < merchants.length; index++) {
            largest.add(new Drift.Difference(merchants[index], subjects[index], differences[index]));
        }
        return largest;
    }

    private static List<Drift> everyCheckInEveryCurrency(List<Drift> found) {
        Map<DriftCheck, Map<String, Drift>> byCheck = new EnumMap<>(DriftCheck.class);
        TreeSet<String> currencies = new TreeSet<>();
        for (Drift drift : found) {
            byCheck.computeIfAbsent(drift.check(), check -> new TreeMap<>()).put(drift.currency(), drift);
            currencies.add(drift.currency());
        }
        List<Drift> all = new ArrayList<>();
        for (DriftCheck check : DriftCheck.values()) {
            for (String currency : currencies) {
                Drift drift = byCheck.getOrDefault(check, Map.of()).get(currency);
                all.add(drift != null ? drift : new Drift(check, currency, 0, 0, List.of()));
            }
        }
        return all;
    }
}
