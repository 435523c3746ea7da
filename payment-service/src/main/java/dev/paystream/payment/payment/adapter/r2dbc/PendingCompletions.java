package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.application.PendingCompletion;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentId;
import java.time.Duration;
import java.util.List;
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

    Mono<Void> apply(String merchantId, List<PaymentEvent> events) {
        return Flux.fromIterable(events).concatMap(event -> event instanceof PaymentProcessingStarted started
                ? database.sql("INSERT INTO pending_completions (payment_id, merchant_id, due_at) VALUES (:id, :merchantId, :dueAt)")
                        .bind("id", started.paymentId().value())
                        .bind("merchantId", merchantId)
                        .bind("dueAt", started.occurredAt().plus(completionDelay))
                        .then()
                : database.sql("DELETE FROM pending_completions WHERE payment_id = :id")
                        .bind("id", event.paymentId().value())
                        .then()).then();
    }

    Flux<PendingCompletion> due(int limit) {
        return database.sql("SELECT payment_id, merchant_id FROM pending_completions WHERE due_at <= now() ORDER BY due_at LIMIT :limit")
                .bind("limit", limit)
                .map(row -> new PendingCompletion(new PaymentId(row.get("payment_id", String.class)), row.get("merchant_id", String.class)))
                .all();
    }
}
