package dev.paystream.payment.payout.domain;

import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutCreated;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutFailed;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutPaid;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A payout's state, derived only from its events. Deciding ({@link #create}, {@link #complete}) is pure:
 * it returns events or a named rejection and changes nothing; evolving ({@link #evolve}) applies one
 * event and never refuses.
 *
 * @param version the sequence number of the last event applied
 */
public record Payout(
        PayoutId id,
        PayoutDetails details,
        PayoutStatus status,
        String failureCode,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    /**
     * Decides a new payout against {@code available}, the merchant's available balance in the payout's
     * currency as last read. The database refuses the same overdraft again when the payout is recorded,
     * for the case where another payout took the money since the read.
     */
    public static Decision create(PayoutId id, PayoutDetails details, Money available, Instant now) {
        if (details.amount().exceeds(available)) {
            return new Decision.Rejected(Rejection.INSUFFICIENT_AVAILABLE_BALANCE, "amount " + details.amount().amountMinor()
                    + " exceeds the available balance of " + available.amountMinor() + " " + available.currencyCode(), "amount");
        }
        return new Decision.Accepted(List.of(new PayoutCreated(id, details, now)));
    }

    /** Decides what the bank's answer makes of a {@code pending} payout. */
    public Decision complete(PayoutOutcome outcome, Instant now) {
        Objects.requireNonNull(outcome, "outcome");
        if (status != PayoutStatus.PENDING) {
            return new Decision.Rejected(Rejection.PAYOUT_NOT_PENDING, "payout " + id + " is " + status.wireName() + ", not pending", null);
        }
        if (outcome instanceof PayoutOutcome.Failed failed) {
            return new Decision.Accepted(List.of(new PayoutFailed(id, failed.failureCode(), now)));
        }
        return new Decision.Accepted(List.of(new PayoutPaid(id, now)));
    }

    /** What this payout takes from the available balance: all of it unless it failed. */
    public long amountDrawn() {
        return status == PayoutStatus.FAILED ? 0 : details.amount().amountMinor();
    }

    public String merchantId() {
        return details.merchantId();
    }

    /** Rebuilds a payout from its whole history, oldest first. */
    public static Payout replay(List<? extends PayoutEvent> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a payout has at least one event");
        }
        Payout state = null;
        for (PayoutEvent event : history) {
            state = evolve(state, event);
        }
        return state;
    }

    /** Applies one event to {@code state} ({@code null} before the first event). */
    public static Payout evolve(Payout state, PayoutEvent event) {
        return event.accept(new Evolution(state));
    }

    private record Evolution(Payout state) implements PayoutEvent.Visitor<Payout> {

        @Override
        public Payout created(PayoutCreated created) {
            return new Payout(created.payoutId(), created.details(), PayoutStatus.PENDING, null, created.occurredAt(),
                    created.occurredAt(), 1);
        }

        @Override
        public Payout paid(PayoutPaid paid) {
            return new Payout(state.id, state.details, PayoutStatus.PAID, null, state.createdAt, paid.occurredAt(), state.version + 1);
        }

        @Override
        public Payout failed(PayoutFailed failed) {
            return new Payout(state.id, state.details, PayoutStatus.FAILED, failed.failureCode(), state.createdAt, failed.occurredAt(),
                    state.version + 1);
        }
    }
}
