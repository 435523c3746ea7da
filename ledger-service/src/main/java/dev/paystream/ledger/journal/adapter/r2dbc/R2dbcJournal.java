package dev.paystream.ledger.journal.adapter.r2dbc;

import dev.paystream.ledger.journal.application.Journal;
import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalLine;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The journal in PostgreSQL. It only ever inserts; the tables refuse anything else. */
public final class R2dbcJournal implements Journal {

    private final DatabaseClient database;

    public R2dbcJournal(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Void> append(JournalEntry entry) {
        Mono<Long> header = database.sql("""
                        INSERT INTO journal_entries (id, event_id, payment_id, merchant_id, created_at)
                        VALUES (:id, :eventId, :paymentId, :merchantId, :createdAt)""")
                .bind("id", entry.id().value())
                .bind("eventId", entry.eventId())
                .bind("paymentId", entry.paymentId())
                .bind("merchantId", entry.merchantId())
                .bind("createdAt", entry.createdAt())
                .fetch().rowsUpdated();
        List<JournalLine> lines = entry.lines();
        Flux<Long> lineRows = Flux.range(0, lines.size()).concatMap(index -> {
            JournalLine line = lines.get(index);
            return database.sql("""
                            INSERT INTO journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit)
                            VALUES (:entryId, :lineNo, :merchantId, :account, :currency, :debit, :credit)""")
                    .bind("entryId", entry.id().value())
                    .bind("lineNo", (short) (index + 1))
                    .bind("merchantId", entry.merchantId())
                    .bind("account", line.account().code())
                    .bind("currency", line.currency().getCurrencyCode())
                    .bind("debit", line.debit())
                    .bind("credit", line.credit())
                    .fetch().rowsUpdated();
        });
        return header.thenMany(lineRows).then();
    }
}
