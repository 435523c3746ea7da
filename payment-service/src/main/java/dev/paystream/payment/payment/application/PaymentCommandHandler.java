package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.Decision;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentDetails;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.payment.domain.PaymentStatus;
import dev.paystream.payment.payment.domain.Rejection;
import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.platform.ids.TimeOrderedIds;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
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
    private final PaymentReferences references;

    public PaymentCommandHandler(PaymentEventStore store, CardProcessor processor, AsyncMethodProcessor asyncMethodProcessor,
                                 PaymentReferences references, Clock clock) {
        this.store = store;
        this.references = references;
        this.processor = processor;
        this.asyncMethodProcessor = asyncMethodProcessor;
        this.clock = clock;
    }

    /** The outcome of a command on an existing payment. */
    public sealed interface Outcome {
        /** {@code events} are the ones this command appended (none when there was nothing to do); {@code payment} is the state they led to. */
        record Done(Payment payment, List<PaymentEvent> events) implements Outcome {

            /** A new payment: its events are all it has. */
            Done(Payment created) {
                this(created, List.of());
            }
        }

        record Refused(Decision.Rejected rejection) implements Outcome {
        }

        record NotFound() implements Outcome {
        }
    }

    /**
     * Authorizes a new payment (or starts processing one of an asynchronous method). Under an
     * idempotent request whose earlier attempt created the payment already, that payment is returned
     * and the processor is not called again.
     */
    public Mono<Outcome> create(CreatePayment command, IdempotentRequest request) {
        if (request != null && request.priorEffect() != null) {
            return recovered(command.merchantId(), new PaymentId(request.priorEffect())).map(payment -> new Outcome.Done(payment, List.of()));
        }
        PaymentId id = new PaymentId(TimeOrderedIds.newId(PaymentId.PREFIX));
        PaymentDetails details = new PaymentDetails(command.merchantId(), command.amount(), command.method(),
                command.card() == null ? null : command.card().summary(), command.captureMethod(),
                command.customerId(), command.invoiceId(), command.description(), command.metadata());
        // The customer and invoice it names are checked before the processor is asked: a refused payment charges nothing.
        return refusalOfReferences(details).flatMap(refusal -> refusal.isPresent()
                ? Mono.just(new Outcome.Refused(refusal.get()))
                : authorizeAndAppend(id, details, command, request)
                        // Another payment against the invoice won the race since the check.
                        .onErrorResume(InvoiceDueExceeded.class, lost -> references.invoice(details.merchantId(), details.invoiceId())
                                .map(invoice -> new Outcome.Refused(invoice.flatMap(terms -> Payment.checkAgainstInvoice(details, terms))
                                        .orElseGet(() -> new Decision.Rejected(Rejection.AMOUNT_EXCEEDS_INVOICE_DUE,
                                                "amount " + details.amount().amountMinor() + " exceeds what is still due on invoice "
                                                        + details.invoiceId(), "amount"))))));
    }

    private Mono<Outcome> authorizeAndAppend(PaymentId id, PaymentDetails details, CreatePayment command, IdempotentRequest request) {
        if (!command.method().isCard()) {
            // Asynchronous methods answer later: the payment is recorded as processing and completed by completeProcessing.
            return store.append(null, Payment.startProcessing(id, details, now()), request, id.value()).map(Outcome.Done::new);
        }
        return processor.authorize(command.card(), command.amount())
                .flatMap(outcome -> store.append(null, Payment.authorize(id, details, outcome, now()), request, id.value()))
                .map(Outcome.Done::new);
    }

    /** Why the customer or invoice a new payment names refuses it (CONTRACT §4, §5); empty when they do not. */
    private Mono<Optional<Decision.Rejected>> refusalOfReferences(PaymentDetails details) {
        Mono<Optional<Decision.Rejected>> customer = details.customerId() == null ? Mono.just(Optional.empty())
                : references.customerExists(details.merchantId(), details.customerId()).map(exists -> exists ? Optional.<Decision.Rejected>empty()
                        : Optional.of(new Decision.Rejected(Rejection.RESOURCE_MISSING, "No customer " + details.customerId(), "customer_id")));
        return customer.flatMap(refusal -> refusal.isPresent() || details.invoiceId() == null ? Mono.just(refusal)
                : references.invoice(details.merchantId(), details.invoiceId()).map(invoice -> invoice
                        .map(terms -> Payment.checkAgainstInvoice(details, terms))
                        .orElseGet(() -> Optional.of(new Decision.Rejected(Rejection.RESOURCE_MISSING, "No invoice " + details.invoiceId(),
                                "invoice_id")))));
    }

    private Mono<Payment> recovered(String merchantId, PaymentId id) {
        return store.load(id, merchantId).switchIfEmpty(Mono.error(() -> new IllegalStateException(
                "the idempotency key records payment " + id + ", which does not exist")));
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
                                .flatMap(outcome -> decideAndAppend(merchantId, id, null, id.value(),
                                        current -> current.completeProcessing(outcome, now()))))
                .defaultIfEmpty(new Outcome.NotFound());
    }

    /** Captures {@code amountMinor} (all that is capturable when null) of an authorized payment. */
    public Mono<Outcome> capture(String merchantId, PaymentId id, Long amountMinor, IdempotentRequest request) {
        return decideAndAppend(merchantId, id, request, id.value(), payment -> payment.capture(amountMinor, now()));
    }

    /** Releases the authorization of a payment that was not captured. */
    public Mono<Outcome> cancel(String merchantId, PaymentId id, IdempotentRequest request) {
        return decideAndAppend(merchantId, id, request, id.value(), payment -> payment.cancel(now()));
    }

    /**
     * Refunds {@code amountMinor} (all that is refundable when null) of a captured payment. Under an
     * idempotent request whose earlier attempt refunded already, that refund is the outcome.
     */
    public Mono<Outcome> refund(String merchantId, PaymentId id, Long amountMinor, String reason, IdempotentRequest request) {
        if (request != null && request.priorEffect() != null) {
            return store.history(id, merchantId).map(RecordedPaymentEvent::event).collectList()
                    .filter(history -> !history.isEmpty())
                    .<Outcome>map(history -> new Outcome.Done(Payment.replay(history), List.of(history.stream()
                            .filter(event -> event instanceof PaymentRefunded refunded && refunded.refundId().equals(request.priorEffect()))
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("the idempotency key records refund " + request.priorEffect()
                                    + ", which payment " + id + " does not have")))))
                    .defaultIfEmpty(new Outcome.NotFound());
        }
        String refundId = TimeOrderedIds.newId("re_");
        return decideAndAppend(merchantId, id, request, refundId, payment -> payment.refund(refundId, amountMinor, reason, now()));
    }

    /**
     * Loads the payment, lets it decide and appends what it decided, recording {@code effect} on the
     * request's idempotency key. Under a request whose earlier attempt committed already, the payment
     * as it is now is the outcome and nothing is decided.
     */
    private Mono<Outcome> decideAndAppend(String merchantId, PaymentId id, IdempotentRequest request, String effect,
                                          Function<Payment, Decision> decide) {
        if (request != null && request.priorEffect() != null) {
            return store.load(id, merchantId).<Outcome>map(payment -> new Outcome.Done(payment, List.of()))
                    .defaultIfEmpty(new Outcome.NotFound());
        }
        return Mono.defer(() -> store.load(id, merchantId)
                        .flatMap(payment -> {
                            Decision decision = decide.apply(payment);
                            if (decision instanceof Decision.Rejected rejected) {
                                return Mono.<Outcome>just(new Outcome.Refused(rejected));
                            }
                            List<PaymentEvent> events = ((Decision.Accepted) decision).events();
                            return store.append(payment, events, request, effect).<Outcome>map(after -> new Outcome.Done(after, events));
                        })
                        .defaultIfEmpty(new Outcome.NotFound()))
                .retryWhen(Retry.max(CONCURRENCY_RETRIES_MAX).filter(ConcurrentPaymentChange.class::isInstance));
    }

    /** Timestamps are kept to the millisecond, as PostgreSQL and the API show them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
