package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.application.PendingCompletion;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.payment.domain.PaymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.SqlPart;
import dev.paystream.platform.store.TableRows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;

/**
 * The {@code pending_completions} table: asynchronous payments waiting for their processor's answer,
 * written in the transaction of the append that starts or ends their processing, so that a restart
 * resumes them rather than forgetting them.
 */
final class PendingCompletions {

    private final DatabaseClient database;
    private final Duration completionDelay;

    PendingCompletions(DatabaseClient database, Duration completionDelay) {
        this.database = database;
        this.completionDelay = completionDelay;
    }

    /**
     * Adds to {@code append} what keeps the table in step with an append of {@code events} to a
     * payment that was {@code before} (null when new): nothing for card payments, which never wait.
     */
    void addTo(AppendStatement append, Payment before, String merchantId, List<PaymentEvent> events) {
        PaymentEvent first = events.get(0);
        if (first instanceof PaymentProcessingStarted started) {
            append.rows("pending_completion", TableRows.into("pending_completions", "payment_id", "merchant_id", "due_at")
                    .row(started.paymentId().value(), merchantId, started.occurredAt().plus(completionDelay)));
        } else if (before != null && before.status() == PaymentStatus.PROCESSING) {
            append.part("pending_completion", SqlPart.of(
                    "DELETE FROM pending_completions WHERE payment_id = :pending_payment_id AND " + AppendStatement.FENCED,
                    Map.of("pending_payment_id", Parameter.from(first.paymentId().value()))));
        }
    }

    Flux<PendingCompletion> due(int limit) {
        return database.sql("SELECT payment_id, merchant_id FROM pending_completions WHERE due_at <= now() ORDER BY due_at LIMIT :limit")
                .bind("limit", limit)
                .map(row -> new PendingCompletion(new PaymentId(row.get("payment_id", String.class)), row.get("merchant_id", String.class)))
                .all();
    }
}
