package dev.paystream.payment.payout.application;

import dev.paystream.payment.payout.domain.Payout;
import dev.paystream.payment.payout.domain.PayoutEvent;
import dev.paystream.payment.payout.domain.PayoutId;
import dev.paystream.platform.idempotency.IdempotentRequest;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The append-only history of payouts. An append is one statement: the events, their outbox rows, the
 * read model, the payout's pending completion and its draw on (or return to) the available balance.
 */
public interface PayoutEventStore {

    /**
     * Appends {@code events} after {@code current} (null for a new payout) and returns the payout they
     * lead to. Fails with {@link ConcurrentPayoutChange} when another writer appended first, and with
     * {@link AvailableBalanceExceeded} when the balance cannot carry a new payout. When {@code request} is
     * given, {@code effect} is recorded on its idempotency key in the same write.
     */
    Mono<Payout> append(Payout current, List<PayoutEvent> events, IdempotentRequest request, String effect);

    /** The payout rebuilt from its events; empty when it does not exist or belongs to another merchant. */
    Mono<Payout> load(PayoutId id, String merchantId);

    /** The payout's history, oldest first. */
    Flux<RecordedPayoutEvent> history(PayoutId id, String merchantId);
}
