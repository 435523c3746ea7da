package dev.paystream.payment.payout.application;

import dev.paystream.payment.payment.application.PaymentReferences;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payout.domain.Decision;
import dev.paystream.payment.payout.domain.Payout;
import dev.paystream.payment.payout.domain.PayoutDetails;
import dev.paystream.payment.payout.domain.PayoutEvent;
import dev.paystream.payment.payout.domain.PayoutId;
import dev.paystream.payment.payout.domain.PayoutStatus;
import dev.paystream.payment.payout.domain.Rejection;
import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.platform.ids.TimeOrderedIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs payout commands: check the customer, read the available balance, let the payout decide, append
 * what it decided. The balance is checked twice: here, to answer with the balance that was short, and
 * by the database in the append itself, which is what makes two racing payouts unable to overdraw it.
 */
public final class PayoutCommandHandler {

    /** How often a completion is decided again after losing a race with another writer on the same payout. */
    static final int CONCURRENCY_RETRIES_MAX = 5;

    private final PayoutEventStore store;
    private final PayoutProcessor processor;
    private final PaymentReferences references;
    private final AvailableBalance balance;
    private final Clock clock;
    private final MeterRegistry meters;

    public PayoutCommandHandler(PayoutEventStore store, PayoutProcessor processor, PaymentReferences references, AvailableBalance balance,
                                Clock clock, MeterRegistry meters) {
        this.store = store;
        this.processor = processor;
        this.references = references;
        this.balance = balance;
        this.clock = clock;
        this.meters = meters;
    }

    /** The outcome of a payout command. */
    public sealed interface Outcome {
        record Done(Payout payout) implements Outcome {
        }

        record Refused(Decision.Rejected rejection) implements Outcome {
        }

        record NotFound() implements Outcome {
        }
    }

    /**
     * Creates a payout. Under an idempotent request whose earlier attempt created it already, that payout
     * is returned and nothing is decided again.
     */
    public Mono<Outcome> create(CreatePayout command, IdempotentRequest request) {
        if (request != null && request.priorEffect() != null) {
            return store.load(new PayoutId(request.priorEffect()), command.merchantId())
                    .<Outcome>map(Outcome.Done::new)
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("the idempotency key records payout "
                            + request.priorEffect() + ", which does not exist")));
        }
        PayoutId id = new PayoutId(TimeOrderedIds.newId(PayoutId.PREFIX));
        PayoutDetails details = new PayoutDetails(command.merchantId(), command.customerId(), command.amount(), command.method(),
                command.description(), command.metadata());
        return references.customerExists(command.merchantId(), command.customerId())
                .flatMap(exists -> exists
                        ? decideAndAppend(id, details, request)
                        : Mono.just(new Outcome.Refused(new Decision.Rejected(Rejection.RESOURCE_MISSING,
                                "No customer " + command.customerId(), "customer_id"))));
    }

    /**
     * Decides on the balance as read and appends. When the database refuses the append (another payout
     * took the money since the read), the payout is decided again on the balance as it is then: refused,
     * or — should money have come back meanwhile — recorded after all.
     */
    private Mono<Outcome> decideAndAppend(PayoutId id, PayoutDetails details, IdempotentRequest request) {
        Money amount = details.amount();
        return Mono.defer(() -> availableNow(details).flatMap(available -> {
                    Decision decision = Payout.create(id, details, available, now());
                    if (decision instanceof Decision.Rejected rejected) {
                        return Mono.<Outcome>just(new Outcome.Refused(rejected));
                    }
                    return store.append(null, ((Decision.Accepted) decision).events(), request, id.value())
                            .doOnNext(created -> {
                                count(created, "created");
                                DistributionSummary.builder("paystream.payout.amount").tag("currency", amount.currencyCode())
                                        .description("Amounts of payouts created, in minor units").register(meters)
                                        .record(amount.amountMinor());
                            })
                            .<Outcome>map(Outcome.Done::new);
                }))
                .retryWhen(Retry.max(CONCURRENCY_RETRIES_MAX).filter(AvailableBalanceExceeded.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorResume(AvailableBalanceExceeded.class, refused -> Mono.just(new Outcome.Refused(new Decision.Rejected(
                        Rejection.INSUFFICIENT_AVAILABLE_BALANCE, "amount " + amount.amountMinor() + " exceeds the available "
                        + amount.currencyCode() + " balance, which other payouts are drawing on right now", "amount"))));
    }

    private Mono<Money> availableNow(PayoutDetails details) {
        Money amount = details.amount();
        // A negative balance (refunds settled after the money was paid out) has nothing to pay out.
        return balance.available(details.merchantId(), amount.currencyCode()).map(available -> new Money(Math.max(0, available), amount.currency()));
    }

    /**
     * Asks the bank for the outcome of a {@code pending} payout and records it. Safe to run twice, or on
     * two instances at once: only a pending payout is completed.
     */
    public Mono<Outcome> complete(String merchantId, PayoutId id) {
        return store.load(id, merchantId)
                .flatMap(payout -> payout.status() != PayoutStatus.PENDING
                        // Completed already (by another instance, or before a restart): nothing to do.
                        ? Mono.<Outcome>just(new Outcome.Done(payout))
                        : processor.send(payout.details()).flatMap(outcome -> Mono.defer(() -> store.load(id, merchantId)
                                        .flatMap(current -> {
                                            Decision decision = current.complete(outcome, now());
                                            if (decision instanceof Decision.Rejected rejected) {
                                                return Mono.<Outcome>just(new Outcome.Refused(rejected));
                                            }
                                            List<PayoutEvent> events = ((Decision.Accepted) decision).events();
                                            return store.append(current, events, null, id.value())
                                                    .doOnNext(after -> count(after, after.status().wireName()))
                                                    .<Outcome>map(Outcome.Done::new);
                                        }))
                                .retryWhen(Retry.max(CONCURRENCY_RETRIES_MAX).filter(ConcurrentPayoutChange.class::isInstance))))
                .defaultIfEmpty(new Outcome.NotFound());
    }

    private void count(Payout payout, String status) {
        Counter.builder("paystream.payouts").tag("status", status).tag("currency", payout.details().amount().currencyCode())
                .tag("method", payout.details().method().wireName())
                .description("Payouts by status reached (created, paid, failed), currency and method").register(meters).increment();
    }

    /** Timestamps are kept to the millisecond, as PostgreSQL and the API show them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
