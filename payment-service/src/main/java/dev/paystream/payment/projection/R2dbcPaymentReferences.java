package dev.paystream.payment.projection;

import dev.paystream.payment.payment.application.PaymentReferences;
import dev.paystream.payment.payment.domain.InvoiceTerms;
import dev.paystream.platform.consumer.ConsumerLag;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.web.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>A caught-up consumer proves only that nothing is waiting on Kafka; an event still in its service's
 * outbox (customer-service killed right after its 201, or the broker down) is invisible to it. So the
 * absence of a reference whose id says it was made in the last {@code recentIds} (ids Paystream makes
 * record their creation millisecond) is never taken as known: after {@code waitMax} it is the same 503
 * (chaos/run, 2026-12-01: ten payments naming invoices created just before customer-service was killed
 * were refused with 422 while the invoices' events waited in its outbox for 35 s).
 */
public final class R2dbcPaymentReferences implements PaymentReferences {

    /** The prefixes of the ids customer-service makes (it also takes customer ids its clients choose). */
    static final String CUSTOMER_PREFIX = "cus_";
    static final String INVOICE_PREFIX = "inv_";

    /**
     * How long to look again for a reference that is not there yet, and when an absence counts.
     *
     * @param recentIds how long after the creation its id records (ids Paystream made: {@code cus_},
     *                  {@code inv_} and 24 hex digits) a reference's absence is never taken as known: its
     *                  event may still wait in its service's outbox (that service killed, the broker
     *                  down), where no caught-up consumer can see it
     */
    public record Waiting(Duration pollInterval, Duration settleTime, Duration waitMax, Duration recentIds) {

        public Waiting(Duration pollInterval, Duration settleTime, Duration waitMax) {
            this(pollInterval, settleTime, waitMax, DEFAULT_RECENT_IDS);
        }
    }

    /** See {@link Waiting#recentIds}: chaos/run saw customer-service back 35 s after a kill -9, its outbox published then. */
    public static final Duration DEFAULT_RECENT_IDS = Duration.ofMinutes(5);
    /** Clocks of the services that made an id may run a little ahead of this one's. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    /** What a client is told to wait before it asks again when an absence could not be confirmed. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final DatabaseClient database;
    private final ConsumerLag lag;
    private final String groupId;
    private final List<String> topics;
    private final Waiting waiting;
    /** The service's clock, which says whether an id is recent (see {@link Waiting#recentIds}). */
    private final Clock clock;

    public R2dbcPaymentReferences(DatabaseClient database, ConsumerLag lag, String groupId, List<String> topics, Waiting waiting, Clock clock) {
        this.database = database;
        this.lag = lag;
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
        this.waiting = waiting;
        this.clock = clock;
    }

    @Override
    public Mono<Boolean> customerExists(String merchantId, String customerId) {
        return awaited(TimeOrderedIds.createdAt(customerId, CUSTOMER_PREFIX), () -> database.sql("SELECT 1 AS found FROM customer_projection WHERE merchant_id = :merchantId AND customer_id = :customerId")
                .bind("merchantId", merchantId)
                .bind("customerId", customerId)
                .map(row -> true)
                .one())
                .map(Optional::isPresent);
    }

    @Override
    public Mono<Optional<InvoiceTerms>> invoice(String merchantId, String invoiceId) {
        return awaited(TimeOrderedIds.createdAt(invoiceId, INVOICE_PREFIX), () -> database.sql("""
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
    private <T> Mono<Optional<T>> awaited(Optional<Instant> createdAt, Supplier<Mono<T>> lookup) {
        long started = System.nanoTime();
        Mono<Optional<T>> look = Mono.defer(() -> lookup.get().map(Optional::of).defaultIfEmpty(Optional.empty()));
        // After the last lookup, found or known absent; a recent id's absence is never known (see Waiting#recentIds).
        Mono<Optional<T>> lastLook = look.flatMap(found -> found.isEmpty() && createdAt.filter(this::recent).isPresent()
                ? Mono.<Optional<T>>error(new NotYet()) : Mono.just(found));
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
                            .flatMap(caughtUp -> caughtUp ? lastLook : Mono.<Optional<T>>error(new NotYet()));
                })
                .retryWhen(reactor.util.retry.Retry.fixedDelay(Long.MAX_VALUE, waiting.pollInterval()).filter(NotYet.class::isInstance));
    }

    private boolean recent(Instant createdAt) {
        Instant now = clock.instant();
        return !createdAt.isBefore(now.minus(waiting.recentIds())) && !createdAt.isAfter(now.plus(CLOCK_SKEW));
    }

    /** The reference is not there, and it is too early to say it never will be. */
    private static final class NotYet extends RuntimeException {
        NotYet() {
            super(null, null, false, false);
        }
    }
}
