package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.application.PendingCompletion;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.payment.domain.PaymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
     * The statement that keeps the table in step with an append of {@code events} to a payment that
     * was {@code before} (null when new); empty when the append changes nothing here.
     */
    Optional<Mono<Void>> apply(Payment before, String merchantId, List<PaymentEvent> events) {
        PaymentEvent first = events.get(0);
        if (first instanceof PaymentProcessingStarted started) {
            return Optional.of(database.sql("INSERT INTO pending_completions (payment_id, merchant_id, due_at) VALUES (:id, :merchantId, :dueAt)")
                    .bind("id", started.paymentId().value())
                    .bind("merchantId", merchantId)
                    .bind("dueAt", started.occurredAt().plus(completionDelay))
                    .then());
        }
        if (before != null && before.status() == PaymentStatus.PROCESSING) {
            return Optional.of(database.sql("DELETE FROM pending_completions WHERE payment_id = :id")
                    .bind("id", first.paymentId().value())
                    .then());
        }
        // Card payments never wait for a completion: nothing to write.
        return Optional.empty();
    }

    Flux<PendingCompletion> due(int limit) {
        return database.sql("SELECT payment_id, merchant_id FROM pending_completions WHERE due_at <= now() ORDER BY due_at LIMIT :limit")
                .bind("limit", limit)
                .map(row -> new PendingCompletion(new PaymentId(row.get("payment_id", String.class)), row.get("merchant_id", String.class)))
                .all();
    }
}
