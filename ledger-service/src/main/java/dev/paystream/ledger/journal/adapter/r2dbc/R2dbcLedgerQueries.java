package dev.paystream.ledger.journal.adapter.r2dbc;

import dev.paystream.ledger.journal.application.EntryCursor;
import dev.paystream.ledger.journal.application.EntryPage;
import dev.paystream.ledger.journal.application.EntryQuery;
import dev.paystream.ledger.journal.application.LedgerQueries;
import dev.paystream.ledger.journal.domain.AccountBalance;
import dev.paystream.ledger.journal.domain.AccountType;
import dev.paystream.ledger.journal.domain.CurrencyTotals;
import dev.paystream.ledger.journal.domain.Drift;
import dev.paystream.ledger.journal.domain.EntrySubject;
import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalEntryId;
import dev.paystream.ledger.journal.domain.JournalLine;
import dev.paystream.ledger.journal.domain.TrialBalance;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The ledger's answers, read from the journal tables; balances are sums over lines (see V1__journal.sql). */
public final class R2dbcLedgerQueries implements LedgerQueries {

    private static final Comparator<AccountBalance> BY_CURRENCY_THEN_ACCOUNT = Comparator
            .comparing((AccountBalance balance) -> balance.currency().getCurrencyCode())
            .thenComparing(AccountBalance::account);

    private final DatabaseClient database;
    private final R2dbcDriftChecks driftChecks;

    public R2dbcLedgerQueries(DatabaseClient database) {
        this.database = database;
        this.driftChecks = new R2dbcDriftChecks(database);
    }

    @Override
    public Mono<EntryCursor> cursor(String merchantId, String entryId) {
        return database.sql("SELECT id, created_at FROM journal_entries WHERE merchant_id = :merchantId AND id = :id")
                .bind("merchantId", merchantId)
                .bind("id", entryId)
                .map(row -> new EntryCursor(row.get("created_at", Instant.class), row.get("id", String.class)))
                .one();
    }

    @Override
    public Mono<EntryPage> entries(EntryQuery query) {
        StringBuilder sql = new StringBuilder("""
                SELECT e.id, e.event_id, e.payment_id, e.payout_id, e.settlement_id, e.merchant_id, e.created_at
                FROM journal_entries e
                WHERE e.merchant_id = :merchantId""");
        Map<String, Object> bindings = new LinkedHashMap<>();
        bindings.put("merchantId", query.merchantId());
        if (query.paymentId() != null) {
            sql.append(" AND e.payment_id = :paymentId");
            bindings.put("paymentId", query.paymentId());
        }
        if (query.payoutId() != null) {
            sql.append(" AND e.payout_id = :payoutId");
            bindings.put("payoutId", query.payoutId());
        }
        if (query.settlementId() != null) {
            sql.append(" AND e.settlement_id = :settlementId");
            bindings.put("settlementId", query.settlementId());
        }
        if (query.account() != null) {
            // Read by the lines' primary key, per entry, while the entries are scanned newest first.
            sql.append(" AND EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_id = e.id AND l.account = :account)");
            bindings.put("account", query.account().code());
        }
        if (query.after() != null) {
            sql.append(" AND (e.created_at, e.id) < (:afterCreatedAt, :afterId)");
            bindings.put("afterCreatedAt", query.after().createdAt());
            bindings.put("afterId", query.after().entryId());
        }
        // One row more than asked says whether another page follows.
        sql.append(" ORDER BY e.created_at DESC, e.id DESC LIMIT :rows");
        bindings.put("rows", query.limit() + 1);
        DatabaseClient.GenericExecuteSpec select = database.sql(sql.toString());
        for (Map.Entry<String, Object> binding : bindings.entrySet()) {
            select = select.bind(binding.getKey(), binding.getValue());
        }
        return select.map(EntryRow::of).all().collectList().flatMap(rows -> {
            boolean hasMore = rows.size() > query.limit();
            List<EntryRow> page = hasMore ? rows.subList(0, query.limit()) : rows;
            return withLines(page).map(entries -> new EntryPage(entries, hasMore));
        });
    }

    @Override
    public Mono<List<AccountBalance>> balances(String merchantId) {
        return database.sql("""
                        SELECT account, currency, sum(debit)::bigint AS debits, sum(credit)::bigint AS credits
                        FROM journal_lines WHERE merchant_id = :merchantId GROUP BY currency, account""")
                .bind("merchantId", merchantId)
                .map(row -> new AccountBalance(account(row), currency(row),
                        row.get("debits", Long.class), row.get("credits", Long.class)))
                .all()
                .sort(BY_CURRENCY_THEN_ACCOUNT)
                .collectList();
    }

    @Override
    public Mono<TrialBalance> trialBalance() {
        return database.sql("""
                        SELECT currency, sum(debit)::bigint AS debits, sum(credit)::bigint AS credits
                        FROM journal_lines GROUP BY currency ORDER BY currency""")
                .map(row -> new CurrencyTotals(currency(row), row.get("debits", Long.class), row.get("credits", Long.class)))
                .all()
                .collectList()
                .map(TrialBalance::new);
    }

    @Override
    public Mono<List<Drift>> drift(String merchantId) {
        return driftChecks.run(merchantId);
    }

    private Mono<List<JournalEntry>> withLines(List<EntryRow> entries) {
        if (entries.isEmpty()) {
            return Mono.just(List.of());
        }
        return database.sql("""
                        SELECT entry_id, account, currency, debit, credit FROM journal_lines
                        WHERE entry_id = ANY(:entryIds) ORDER BY entry_id, line_no""")
                .bind("entryIds", entries.stream().map(EntryRow::id).toArray(String[]::new))
                .map(row -> Map.entry(row.get("entry_id", String.class),
                        new JournalLine(account(row), currency(row), row.get("debit", Long.class), row.get("credit", Long.class))))
                .all()
                .collectList()
                .map(lines -> {
                    Map<String, List<JournalLine>> linesByEntry = new LinkedHashMap<>();
                    lines.forEach(line -> linesByEntry.computeIfAbsent(line.getKey(), id -> new ArrayList<>()).add(line.getValue()));
                    return entries.stream().map(entry -> entry.toEntry(linesByEntry.getOrDefault(entry.id(), List.of()))).toList();
                });
    }

    private static AccountType account(Readable row) {
        String code = row.get("account", String.class);
        return AccountType.fromCode(code).orElseThrow(() -> new IllegalStateException("unknown account in journal_lines: " + code));
    }

    private static Currency currency(Readable row) {
        return Currency.getInstance(row.get("currency", String.class));
    }

    private record EntryRow(String id, String eventId, EntrySubject subject, String merchantId, Instant createdAt) {

        static EntryRow of(Readable row) {
            return new EntryRow(row.get("id", String.class), row.get("event_id", String.class), subject(row),
                    row.get("merchant_id", String.class), row.get("created_at", Instant.class));
        }

        private static EntrySubject subject(Readable row) {
            for (EntrySubject.Kind kind : EntrySubject.Kind.values()) {
                String id = row.get(kind.idField(), String.class);
                if (id != null) {
                    return new EntrySubject(kind, id);
                }
            }
            throw new IllegalStateException("journal entry " + row.get("id", String.class) + " names no payment, payout or settlement");
        }

        JournalEntry toEntry(List<JournalLine> lines) {
            return new JournalEntry(new JournalEntryId(id), eventId, subject, merchantId, createdAt, lines);
        }
    }
}
