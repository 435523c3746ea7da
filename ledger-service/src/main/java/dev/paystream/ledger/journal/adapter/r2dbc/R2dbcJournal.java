package dev.paystream.ledger.journal.adapter.r2dbc;

import dev.paystream.ledger.journal.application.Journal;
import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalLine;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
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
        // All lines in one statement: a round trip per line is what a busy ledger feels first.
        List<JournalLine> lines = entry.lines();
        StringBuilder sql = new StringBuilder(
                "INSERT INTO journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit) VALUES ");
        for (int index = 0; index < lines.size(); index++) {
            sql.append(index == 0 ? "" : ", ").append("(:entryId, :lineNo").append(index).append(", :merchantId, :account").append(index)
                    .append(", :currency").append(index).append(", :debit").append(index).append(", :credit").append(index).append(')');
        }
        DatabaseClient.GenericExecuteSpec insertLines = database.sql(sql.toString())
                .bind("entryId", entry.id().value())
                .bind("merchantId", entry.merchantId());
        for (int index = 0; index < lines.size(); index++) {
            JournalLine line = lines.get(index);
            insertLines = insertLines.bind("lineNo" + index, (short) (index + 1))
                    .bind("account" + index, line.account().code())
                    .bind("currency" + index, line.currency().getCurrencyCode())
                    .bind("debit" + index, line.debit())
                    .bind("credit" + index, line.credit());
        }
        return header.then(insertLines.then());
    }
}
