package dev.paystream.payment.payout.adapter.r2dbc;

import dev.paystream.payment.balance.Balances;
import dev.paystream.payment.payout.adapter.contract.PayoutContractMapper;
import dev.paystream.payment.payout.application.AvailableBalanceExceeded;
import dev.paystream.payment.payout.application.ConcurrentPayoutChange;
import dev.paystream.payment.payout.application.PayoutEventStore;
import dev.paystream.payment.payout.application.RecordedPayoutEvent;
import dev.paystream.payment.payout.domain.Payout;
import dev.paystream.payment.payout.domain.PayoutEvent;
import dev.paystream.payment.payout.domain.PayoutId;
import dev.paystream.payment.payout.domain.PayoutStatus;
import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.outbox.OutboxMessage;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.ConcurrentAppend;
import dev.paystream.platform.store.EventStream;
import dev.paystream.platform.store.JsonEventCodec;
import dev.paystream.events.EventTypes;
import java.util.Map;
import dev.paystream.platform.workqueue.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The payout event store on PostgreSQL. One append is one statement ({@link AppendStatement}): the new
 * events (stream {@code payout_events}), their outbox rows, the read-model row, the payout's item on the
 * work queue {@value #COMPLETIONS} (added with the payout, removed with its outcome, so a restart resumes
 * every pending payout), its draw on the available balance (with {@code payout.created}) or the return of
 * it (with {@code payout.failed}), and the effect on the request's idempotency key.
 */
public final class R2dbcPayoutEventStore implements PayoutEventStore {

    /** How payout events are kept in {@code payout_events.payload}: under their contract type names. */
    static final JsonEventCodec<PayoutEvent> STORED_EVENTS = new JsonEventCodec<>(PayoutEvent.class, Map.of(
            EventTypes.PAYOUT_CREATED, PayoutEvent.PayoutCreated.class,
            EventTypes.PAYOUT_PAID, PayoutEvent.PayoutPaid.class,
            EventTypes.PAYOUT_FAILED, PayoutEvent.PayoutFailed.class),
            event -> event.payoutId().value(), PayoutEvent::occurredAt);

    /** The work queue of payouts waiting for the bank's answer: key the payout id, payload its merchant. */
    public static final String COMPLETIONS = "payout-completions";

    private final DatabaseClient database;
    private final OutboxWriter outbox;
    private final PayoutContractMapper contract;
    private final PayoutReadModel readModel;
    private final WorkQueue completions;
    private final Duration completionDelay;
    private final EventStream<PayoutEvent> stream;

    public R2dbcPayoutEventStore(DatabaseClient database, OutboxWriter outbox, PayoutContractMapper contract, PayoutReadModel readModel,
                                 WorkQueue completions, Duration completionDelay) {
        this.database = database;
        this.outbox = outbox;
        this.contract = contract;
        this.readModel = readModel;
        this.completions = completions;
        this.completionDelay = completionDelay;
        this.stream = new EventStream<>(database, "payout_events", "payout_id", STORED_EVENTS);
    }

    @Override
    public Mono<Payout> append(Payout current, List<PayoutEvent> events, IdempotentRequest request, String effect) {
        return Mono.defer(() -> {
            Payout state = current;
            long sequence = current == null ? 0 : current.version();
            List<EventStream.Recorded<PayoutEvent>> recorded = new ArrayList<>(events.size());
            List<OutboxMessage> messages = new ArrayList<>(events.size());
            for (PayoutEvent event : events) {
                state = Payout.evolve(state, event);
                RecordedPayoutEvent record = new RecordedPayoutEvent(TimeOrderedIds.newId("evt_"), ++sequence, event);
                recorded.add(new EventStream.Recorded<>(record.eventId(), record.sequence(), event));
                messages.add(contract.toOutboxMessage(record, state));
            }
            Payout after = state;
            String currency = after.details().amount().currencyCode();
            AppendStatement append = new AppendStatement(database, "events")
                    .rows("events", stream.rows(recorded, after.merchantId()))
                    .rows("outbox", outbox.rows(messages))
                    .rows("read_model", readModel.row(after));
            if (current == null) {
                completions.add(append, "completion", after.id().value(), after.merchantId(), after.createdAt().plus(completionDelay));
            } else if (current.status() == PayoutStatus.PENDING && after.status() != PayoutStatus.PENDING) {
                completions.finish(append, "completion", after.id().value());
            }
            long drawChange = after.amountDrawn() - (current == null ? 0 : current.amountDrawn());
            if (drawChange > 0) {
                append.part("balance", Balances.drawn("balance", after.merchantId(), currency, drawChange));
            } else if (drawChange < 0) {
                append.part("balance", Balances.returned("balance", after.merchantId(), currency, -drawChange));
            }
            if (request != null) {
                append.answering(request, effect);
            }
            return append.execute()
                    .onErrorMap(ConcurrentAppend.class, conflict -> new ConcurrentPayoutChange(after.id(), conflict))
                    .onErrorMap(Balances::refusedByTheGuard, refused -> new AvailableBalanceExceeded(after.merchantId(), currency, refused))
                    .doOnSuccess(done -> outbox.rowsWritten())
                    .thenReturn(after);
        });
    }

    @Override
    public Mono<Payout> load(PayoutId id, String merchantId) {
        return history(id, merchantId).map(RecordedPayoutEvent::event).collectList()
                .filter(history -> !history.isEmpty())
                .map(Payout::replay);
    }

    @Override
    public Flux<RecordedPayoutEvent> history(PayoutId id, String merchantId) {
        return stream.history(id.value(), merchantId)
                .map(recorded -> new RecordedPayoutEvent(recorded.eventId(), recorded.sequence(), recorded.event()));
    }
}
