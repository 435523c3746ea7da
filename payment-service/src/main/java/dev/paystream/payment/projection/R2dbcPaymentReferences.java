package dev.paystream.payment.projection;

import dev.paystream.payment.payment.application.PaymentReferences;
import dev.paystream.payment.payment.domain.InvoiceTerms;
import dev.paystream.platform.consumer.ConsumerLag;
import dev.paystream.platform.web.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Looks customers and invoices up in the projections, waiting for them when they are not there yet
 * (docs/adr/0005). A client that creates a customer and pays at once is faster than the customer's
 * event: customer-service's outbox publishes it some milliseconds after its 201, and this service's
 * consumer applies it a little later. So a lookup that finds nothing looks again, every
 * {@code pollInterval}, until the row is there, or until it can say "unknown" with confidence: at least
 * {@code settleTime} has passed (longer than an outbox takes to publish) and the projection consumer
 * has applied everything on its topics. A row that exists is answered at once: the common case costs
 * one primary-key read.
 *
 * <p>When {@code waitMax} passes before the consumer could be seen caught up (the broker restarting,
 * the projection stuck), the absence is not known: the lookup fails with a 503
 * {@code references_unavailable} and a {@code Retry-After}, so that a client retries with the same
 * Idempotency-Key, instead of a 422 for a customer that may exist (found by the chaos suite: payments
 * naming a customer created just before were refused with 422 during a Kafka restart).
 */
public final class R2dbcPaymentReferences implements PaymentReferences {

    /** How long to look again for a reference that is not there yet, and when an absence counts. */
    public record Waiting(Duration pollInterval, Duration settleTime, Duration waitMax) {
    }

    /** What a client is told to wait before it asks again when an absence could not be confirmed. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final DatabaseClient database;
    private final ConsumerLag lag;
    private final String groupId;
    private final List<String> topics;
    private final Waiting waiting;

    public R2dbcPaymentReferences(DatabaseClient database, ConsumerLag lag, String groupId, List<String> topics, Waiting waiting) {
        this.database = database;
        this.lag = lag;
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
        this.waiting = waiting;
    }

    @Override
    public Mono<Boolean> customerExists(String merchantId, String customerId) {
        return awaited(() -> database.sql("SELECT 1 AS found FROM customer_projection WHERE merchant_id = :merchantId AND customer_id = :customerId")
                .bind("merchantId", merchantId)
                .bind("customerId", customerId)
                .map(row -> true)
                .one())
                .map(Optional::isPresent);
    }

    @Override
    public Mono<Optional<InvoiceTerms>> invoice(String merchantId, String invoiceId) {
        return awaited(() -> database.sql("""
                        SELECT invoice_id, customer_id, currency, amount, status, amount_held FROM invoice_projection
                        WHERE merchant_id = :merchantId AND invoice_id = :invoiceId""")
                .bind("merchantId", merchantId)
                .bind("invoiceId", invoiceId)
                .map(row -> new InvoiceTerms(row.get("invoice_id", String.class), row.get("customer_id", String.class),
                        row.get("currency", String.class), row.get("amount", Long.class), row.get("status", String.class),
                        row.get("amount_held", Long.class)))
                .one());
    }

    /**
     * {@code lookup} until it finds something, or until the thing is known to be absent (see the class
     * comment). The projection is asked whether it is caught up <em>before</em> the last lookup, never
     * after: asked after a lookup that found nothing, "caught up" may include the very event that
     * arrived in between, and the answer would be "unknown" for a row that is there (CI, 2026-11-30:
     * a customer's event applied ~1.1 s after its 201 on a loaded machine, a 422 for it in the same
     * millisecond as the 201s of the payments beside it).
     */
    private <T> Mono<Optional<T>> awaited(Supplier<Mono<T>> lookup) {
        long started = System.nanoTime();
        Mono<Optional<T>> look = Mono.defer(() -> lookup.get().map(Optional::of).defaultIfEmpty(Optional.empty()));
        return look
                .flatMap(found -> {
                    if (found.isPresent()) {
                        return Mono.just(found);
                    }
                    Duration waited = Duration.ofNanos(System.nanoTime() - started);
                    if (waited.compareTo(waiting.waitMax()) >= 0) {
                        return Mono.error(Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "references_unavailable",
                                        "The customers and invoices this service knows could not be confirmed up to date; retry shortly")
                                .withRetryAfter(RETRY_AFTER).toException());
                    }
                    if (waited.compareTo(waiting.settleTime()) < 0) {
                        return Mono.error(new NotYet());
                    }
                    return lag.caughtUp(groupId, topics)
                            .onErrorReturn(false)
                            .flatMap(caughtUp -> caughtUp ? look : Mono.<Optional<T>>error(new NotYet()));
                })
                .retryWhen(reactor.util.retry.Retry.fixedDelay(Long.MAX_VALUE, waiting.pollInterval()).filter(NotYet.class::isInstance));
    }

    /** The reference is not there, and it is too early to say it never will be. */
    private static final class NotYet extends RuntimeException {
        NotYet() {
            super(null, null, false, false);
        }
    }
}
