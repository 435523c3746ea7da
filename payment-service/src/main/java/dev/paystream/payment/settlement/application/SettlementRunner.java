package dev.paystream.payment.settlement.application;

import dev.paystream.payment.payment.domain.Decision;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import dev.paystream.payment.settlement.domain.FeeRule;
import dev.paystream.payment.settlement.domain.LineType;
import dev.paystream.payment.settlement.domain.Settlement;
import dev.paystream.payment.settlement.domain.SettlementId;
import dev.paystream.payment.settlement.domain.SettlementLine;
import dev.paystream.payment.settlement.domain.SettlementTotals;
import dev.paystream.platform.ids.TimeOrderedIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Builds settlement batches (CONTRACT §8): per merchant and currency, every captured payment and every
 * refund not settled yet, a page of {@code pageSize} at a time. Each page of payments is decided by the
 * payments themselves ({@link Payment#settle}, with the fee of {@link FeeRule}) and recorded as their
 * {@code payment.settled} events in one statement; refunds follow as negative lines; then the batch
 * completes with the totals of its lines. While a page of payments is written, the next one is read and
 * decided (the database and this service each have a core to work on): at most two pages are in memory
 * at a time, whatever the batch's size.
 *
 * <p>Any step may run again, or on two instances at once (a resumed run beside a slow one): a page that
 * lost a race is read again, lines are written once, and a batch completes once.
 */
public final class SettlementRunner {

    /** How often a page is read and decided again after losing a race before the run gives up (and is resumed later). */
    static final int CONCURRENCY_RETRIES_MAX = 10;

    private final SettlementStore store;
    private final FeeRule fees;
    private final int pageSize;
    private final Clock clock;
    private final MeterRegistry meters;

    public SettlementRunner(SettlementStore store, FeeRule fees, int pageSize, Clock clock, MeterRegistry meters) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("a page holds at least one line");
        }
        this.store = store;
        this.fees = fees;
        this.pageSize = pageSize;
        this.clock = clock;
        this.meters = meters;
    }

    /** Where a run is in a list of payments or refunds: after {@code afterId}, and whether the end was reached. */
    private record Cursor(String afterId, boolean done) {
    }

    /** Settles the merchant's batches now: of {@code currency}, or of every currency with something to settle when null. */
    public Flux<Settlement> settle(String merchantId, String currency) {
        Flux<String> currencies = currency == null ? store.currenciesToSettle(merchantId) : Flux.just(currency);
        return currencies.concatMap(each -> store.start(merchantId, each, new SettlementId(TimeOrderedIds.newId(SettlementId.PREFIX)), now())
                .flatMap(this::finish));
    }

    /** Settles every merchant's batches: the daily schedule. */
    public Flux<Settlement> settleEveryMerchant() {
        return store.merchantsToSettle().concatMap(merchantId -> settle(merchantId, null));
    }

    /** Takes up a batch whose run stopped before completing it; empty when it completed meanwhile. */
    public Mono<Settlement> resume(SettlementId id, String merchantId) {
        return store.running(id, merchantId).flatMap(this::finish);
    }

    private Mono<Settlement> finish(SettlementRun run) {
        Timer.Sample started = Timer.start(meters);
        return paymentPages(run)
                .then(Mono.defer(() -> pages(run, this::refundPage)))
                // Another run of the batch is completing it: what is left is to see it completed.
                .onErrorResume(SettlementClosed.class, closed -> Mono.empty())
                .then(Mono.defer(() -> complete(run)))
                .doOnNext(settlement -> started.stop(Timer.builder("paystream.settlement.duration")
                        .description("Time from the start of a settlement batch's run to its completion").register(meters)));
    }

    private Mono<Void> pages(SettlementRun run, BiFunction<SettlementRun, String, Mono<Cursor>> page) {
        return Mono.just(new Cursor(null, false))
                .expand(cursor -> cursor.done() ? Mono.empty() : Mono.defer(() -> page.apply(run, cursor.afterId()))
                        .retryWhen(Retry.max(CONCURRENCY_RETRIES_MAX).filter(ConcurrentSettlementChange.class::isInstance)))
                .then();
    }

    /**
     * A page of payments read after {@code afterId} up to {@code lastId} (the last one read), decided: the
     * payments that settle, their events and their lines; {@code last} when the end of the list was reached.
     */
    private record PaymentPage(String afterId, String lastId, boolean last, List<Payment> settled, List<PaymentSettled> events,
                               List<SettlementLine> lines) {
    }

    /** Settles every page of payments, reading and deciding each next page while the one before is written. */
    private Mono<Void> paymentPages(SettlementRun run) {
        return readPaymentPage(run, null, null)
                .expand(page -> page.last()
                        ? writePaymentPage(run, page, 0).then(Mono.<PaymentPage>empty())
                        : Mono.zip(writePaymentPage(run, page, 0).thenReturn(page), readPaymentPage(run, page.lastId(), null),
                                (written, next) -> next))
                .then();
    }

    /** Reads and decides the page after {@code afterId} (up to {@code upToId} when it is read again). */
    private Mono<PaymentPage> readPaymentPage(SettlementRun run, String afterId, String upToId) {
        return store.unsettledPayments(run, afterId, upToId, pageSize).map(payments -> {
            if (payments.isEmpty()) {
                return new PaymentPage(afterId, upToId == null ? afterId : upToId, true, List.of(), List.of(), List.of());
            }
            Instant now = now();
            List<Payment> settled = new ArrayList<>(payments.size());
            List<PaymentSettled> events = new ArrayList<>(payments.size());
            List<SettlementLine> lines = new ArrayList<>(payments.size());
            for (Payment payment : payments) {
                Money fee = new Money(fees.feeFor(payment.amountCaptured()), payment.details().amount().currency());
                // A payment settled or changed since the page was read is left out; the statement's guard catches the rest.
                if (payment.settle(run.id().value(), fee, now) instanceof Decision.Accepted accepted) {
                    settled.add(payment);
                    events.add((PaymentSettled) accepted.events().get(0));
                    lines.add(SettlementLine.ofPayment(run.id(), facts(payment), payment.capturedAt(), payment.amountCaptured(),
                            fee.amountMinor()));
                }
            }
            // Read again, the page keeps its range: the page read ahead after it starts where it ended.
            String lastId = upToId == null ? payments.get(payments.size() - 1).id().value() : upToId;
            return new PaymentPage(afterId, lastId, payments.size() < pageSize, settled, events, lines);
        });
    }

    /**
     * Writes a decided page. A page that lost a race (a payment changed since it was read) is read again
     * over the same range of ids, so the page read ahead after it still follows on, and decided again.
     */
    private Mono<Void> writePaymentPage(SettlementRun run, PaymentPage page, int attempt) {
        if (page.lines().isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> store.settlePayments(run, page.settled(), page.events(), page.lines(), SettlementTotals.of(page.lines())))
                .doOnSuccess(done -> countLines(LineType.PAYMENT, page.lines().size()))
                .onErrorResume(ConcurrentSettlementChange.class, lost -> attempt >= CONCURRENCY_RETRIES_MAX
                        ? Mono.error(lost)
                        : readPaymentPage(run, page.afterId(), page.lastId()).flatMap(again -> writePaymentPage(run, again, attempt + 1)));
    }

    /** Settles the next page of refunds after {@code afterId}: negative lines, no fee back. */
    private Mono<Cursor> refundPage(SettlementRun run, String afterId) {
        return store.unsettledRefunds(run, afterId, pageSize).flatMap(refunds -> {
            if (refunds.isEmpty()) {
                return Mono.just(new Cursor(afterId, true));
            }
            List<SettlementLine> lines = refunds.stream()
                    .map(refund -> SettlementLine.ofRefund(run.id(), refund.payment(), refund.refundId(), refund.refundedAt(), refund.amount()))
                    .toList();
            Cursor next = new Cursor(refunds.get(refunds.size() - 1).refundId(), refunds.size() < pageSize);
            return store.settleRefunds(run, lines, SettlementTotals.of(lines))
                    .doOnSuccess(done -> countLines(LineType.REFUND, lines.size()))
                    .thenReturn(next);
        });
    }

    private Mono<Settlement> complete(SettlementRun run) {
        return store.close(run).flatMap(totals -> Settlement.complete(run.id(), run.merchantId(), run.currency(), totals, now())
                .map(completed -> store.complete(run, completed)
                        .doOnNext(settlement -> Counter.builder("paystream.settlements").tag("currency", settlement.currency())
                                .description("Settlement batches completed, by currency").register(meters).increment())
                        // Another run of the batch completed it first: the same settlement.
                        .onErrorResume(ConcurrentSettlementChange.class, lost -> store.load(run.id(), run.merchantId())))
                .orElseGet(() -> store.abandon(run).then(Mono.empty())));
    }

    private void countLines(LineType type, int lines) {
        Counter.builder("paystream.settlement.lines").tag("line_type", type.wireName())
                .description("Lines settled, by type (payment, refund)").register(meters).increment(lines);
    }

    static SettlementLine.PaymentFacts facts(Payment payment) {
        var details = payment.details();
        var card = details.card();
        return new SettlementLine.PaymentFacts(payment.id().value(), details.amount().currencyCode(), details.method().wireName(),
                card == null ? null : card.brand(), card == null ? null : card.last4(), details.customerId(), details.invoiceId());
    }

    /** Timestamps are kept to the millisecond, as PostgreSQL and the API show them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
