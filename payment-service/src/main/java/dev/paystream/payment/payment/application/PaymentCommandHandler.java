package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.Decision;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentDetails;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.payment.domain.PaymentStatus;
import dev.paystream.platform.ids.TimeOrderedIds;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs payment commands: load the payment, let it decide, append what it decided. A command that
 * loses a race with another writer on the same payment is decided again on the fresh state, a few
 * times at most, so two concurrent commands can never both succeed on stale state.
 */
public final class PaymentCommandHandler {

    /** How often a command is re-decided after losing a race before the caller is told to retry. */
    static final int CONCURRENCY_RETRIES_MAX = 5;

    private final PaymentEventStore store;
    private final CardProcessor processor;
    private final AsyncMethodProcessor asyncMethodProcessor;
    private final Clock clock;

    public PaymentCommandHandler(PaymentEventStore store, CardProcessor processor, AsyncMethodProcessor asyncMethodProcessor, Clock clock) {
        this.store = store;
        this.processor = processor;
        this.asyncMethodProcessor = asyncMethodProcessor;
        this.clock = clock;
    }

    /** The outcome of a command on an existing payment. */
    public sealed interface Outcome {
        /** {@code events} are the ones this command appended (none when there was nothing to do); {@code payment} is the state they led to. */
        record Done(Payment payment, List<PaymentEvent> events) implements Outcome {
        }

        record Refused(Decision.Rejected rejection) implements Outcome {
        }

        record NotFound() implements Outcome {
        }
    }

    public Mono<Payment> create(CreatePayment command) {
        PaymentId id = new PaymentId(TimeOrderedIds.newId(PaymentId.PREFIX));
        PaymentDetails details = new PaymentDetails(command.merchantId(), command.amount(), command.method(),
                command.card() == null ? null : command.card().summary(), command.captureMethod(),
                command.customerId(), command.invoiceId(), command.description(), command.metadata());
        if (!command.method().isCard()) {
            // Asynchronous methods answer later: the payment is recorded as processing and completed by completeProcessing.
            return store.append(null, Payment.startProcessing(id, details, now()));
        }
        return processor.authorize(command.card(), command.amount())
                .flatMap(outcome -> store.append(null, Payment.authorize(id, details, outcome, now())));
    }

    /**
     * Asks the asynchronous processor for the outcome of a {@code processing} payment and records it.
     * Safe to run twice, or on two instances at once: the payment decides only while still processing.
     */
    public Mono<Outcome> completeProcessing(String merchantId, PaymentId id) {
        return store.load(id, merchantId)
                .flatMap(payment -> payment.status() != PaymentStatus.PROCESSING
                        // Completed already (by another instance, or before a restart): nothing to do.
                        ? Mono.<Outcome>just(new Outcome.Done(payment, List.of()))
                        : asyncMethodProcessor.authorize(payment.details().method(), payment.details().amount())
                                .flatMap(outcome -> decideAndAppend(merchantId, id, current -> current.completeProcessing(outcome, now()))))
                .defaultIfEmpty(new Outcome.NotFound());
    }

    /** Captures {@code amountMinor} (all that is capturable when null) of an authorized payment. */
    public Mono<Outcome> capture(String merchantId, PaymentId id, Long amountMinor) {
        return decideAndAppend(merchantId, id, payment -> payment.capture(amountMinor, now()));
    }

    /** Releases the authorization of a payment that was not captured. */
    public Mono<Outcome> cancel(String merchantId, PaymentId id) {
        return decideAndAppend(merchantId, id, payment -> payment.cancel(now()));
    }

    /** Refunds {@code amountMinor} (all that is refundable when null) of a captured payment. */
    public Mono<Outcome> refund(String merchantId, PaymentId id, Long amountMinor, String reason) {
        String refundId = TimeOrderedIds.newId("re_");
        return decideAndAppend(merchantId, id, payment -> payment.refund(refundId, amountMinor, reason, now()));
    }

    private Mono<Outcome> decideAndAppend(String merchantId, PaymentId id, Function<Payment, Decision> decide) {
        return Mono.defer(() -> store.load(id, merchantId)
                        .flatMap(payment -> {
                            Decision decision = decide.apply(payment);
                            if (decision instanceof Decision.Rejected rejected) {
                                return Mono.<Outcome>just(new Outcome.Refused(rejected));
                            }
                            List<PaymentEvent> events = ((Decision.Accepted) decision).events();
                            return store.append(payment, events).<Outcome>map(after -> new Outcome.Done(after, events));
                        })
                        .defaultIfEmpty(new Outcome.NotFound()))
                .retryWhen(Retry.max(CONCURRENCY_RETRIES_MAX).filter(ConcurrentPaymentChange.class::isInstance));
    }

    /** Timestamps are kept to the millisecond, as PostgreSQL and the API show them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
