package dev.paystream.payment.settlement.application;

import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import dev.paystream.payment.settlement.domain.Settlement;
import dev.paystream.payment.settlement.domain.SettlementEvent.SettlementCompleted;
import dev.paystream.payment.settlement.domain.SettlementId;
import dev.paystream.payment.settlement.domain.SettlementLine;
import dev.paystream.payment.settlement.domain.SettlementTotals;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where settlement batches are built and recorded. A batch is written in steps, each one statement (one
 * transaction) — a page of payments with their {@code payment.settled} events, or a page of refunds —
 * and completed by a last one, so that a batch of any size is never held in memory nor in one transaction,
 * and a run that stops is resumed where it stopped.
 */
public interface SettlementStore {

    /** The currencies in which the merchant has captured payments or refunds not settled yet, or a batch still running. */
    Flux<String> currenciesToSettle(String merchantId);

    /** The merchants with anything to settle, for the schedule. */
    Flux<String> merchantsToSettle();

    /**
     * The batch of {@code merchantId} in {@code currency} that is running, or a new one ({@code newId}, started
     * {@code now}) when none is, together with its resumption: should this run stop, the work queue takes it up.
     */
    Mono<SettlementRun> start(String merchantId, String currency, SettlementId newId, Instant now);

    /** The batch {@code id} if it is still running; empty once completed (or when it does not exist). */
    Mono<SettlementRun> running(SettlementId id, String merchantId);

    /**
     * Up to {@code limit} payments of the run's merchant and currency with captured money not settled,
     * created before the run started, with ids after {@code afterId} (all when null) and up to {@code upToId}
     * (no bound when null), in id order.
     */
    Mono<List<Payment>> unsettledPayments(SettlementRun run, String afterId, String upToId, int limit);

    /**
     * Records one page: each payment's {@code payment.settled} event (after {@code before}, same order) with
     * its outbox row and read model, the lines, and the batch's running totals. Fails with
     * {@link ConcurrentSettlementChange} when a payment changed since it was read, and with
     * {@link SettlementClosed} when the batch no longer takes lines.
     */
    Mono<Void> settlePayments(SettlementRun run, List<Payment> before, List<PaymentSettled> events, List<SettlementLine> lines,
                              SettlementTotals totals);

    /** Up to {@code limit} refunds of the run's merchant and currency not settled, made before the run started, after {@code afterId}. */
    Mono<List<RefundToSettle>> unsettledRefunds(SettlementRun run, String afterId, int limit);

    /** Records one page of refund lines, the refunds marked settled and the batch's running totals. Fails as {@link #settlePayments}. */
    Mono<Void> settleRefunds(SettlementRun run, List<SettlementLine> lines, SettlementTotals totals);

    /** Closes the batch to new lines (waiting for a page being written) and gives its totals. */
    Mono<SettlementTotals> close(SettlementRun run);

    /**
     * Records the completion: the event with its outbox row, the settlement's row, the credit of its net to
     * the available balance and the end of its resumption. Fails with {@link ConcurrentSettlementChange}
     * when another run completed it first.
     */
    Mono<Settlement> complete(SettlementRun run, SettlementCompleted completed);

    /** Drops a batch that has no line (another run settled everything first), and its resumption. */
    Mono<Void> abandon(SettlementRun run);

    /** The completed settlement; empty when it does not exist or belongs to another merchant. */
    Mono<Settlement> load(SettlementId id, String merchantId);
}
