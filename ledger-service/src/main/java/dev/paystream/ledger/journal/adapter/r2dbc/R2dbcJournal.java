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

    /**
     * One statement: the claim of the event id in {@code processed_events}, the entry, and its lines
     * only if the claim took. A duplicate inserts nothing; balance and ownership are checked by the
     * database at the end of the statement.
     */
    @Override
    public Mono<Boolean> appendOnce(JournalEntry entry, String eventType) {
        List<JournalLine> lines = entry.lines();
        StringBuilder sql = new StringBuilder("""
                WITH claim AS (
                    INSERT INTO processed_events (event_id, event_type) VALUES (:eventId, :eventType)
                    ON CONFLICT (event_id) DO NOTHING RETURNING event_id),
                entry AS (
                    INSERT INTO journal_entries (id, event_id, payment_id, merchant_id, created_at)
                    SELECT :id, event_id, :paymentId, :merchantId, :createdAt FROM claim RETURNING id)
                INSERT INTO journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit)
                SELECT entry.id, line.line_no, :merchantId, line.account, line.currency, line.debit, line.credit
                FROM entry CROSS JOIN (VALUES """);
        for (int index = 0; index < lines.size(); index++) {
            sql.append(index == 0 ? "" : ", ").append("(CAST(:lineNo").append(index).append(" AS SMALLINT), CAST(:account").append(index)
                    .append(" AS TEXT), CAST(:currency").append(index).append(" AS TEXT), CAST(:debit").append(index)
                    .append(" AS BIGINT), CAST(:credit").append(index).append(" AS BIGINT))");
        }
        sql.append(") AS line (line_no, account, currency, debit, credit)");
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql.toString())
                .bind("eventId", entry.eventId())
                .bind("eventType", eventType)
                .bind("id", entry.id().value())
                .bind("paymentId", entry.paymentId())
                .bind("merchantId", entry.merchantId())
                .bind("createdAt", entry.createdAt());
        for (int index = 0; index < lines.size(); index++) {
            JournalLine line = lines.get(index);
            statement = statement.bind("lineNo" + index, (short) (index + 1))
                    .bind("account" + index, line.account().code())
                    .bind("currency" + index, line.currency().getCurrencyCode())
                    .bind("debit" + index, line.debit())
                    .bind("credit" + index, line.credit());
        }
        return statement.fetch().rowsUpdated().map(inserted -> inserted > 0);
    }
}
