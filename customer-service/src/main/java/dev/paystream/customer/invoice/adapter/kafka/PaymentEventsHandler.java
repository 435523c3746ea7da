package dev.paystream.customer.invoice.adapter.kafka;

import dev.paystream.customer.invoice.application.ConcurrentInvoiceChange;
import dev.paystream.customer.invoice.application.InvoiceCommandHandler;
import dev.paystream.customer.invoice.application.InvoiceCommandHandler.Outcome;
import dev.paystream.customer.invoice.application.PaymentToApply;
import dev.paystream.customer.invoice.domain.InvoiceId;
import dev.paystream.customer.invoice.domain.Money;
import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.events.v1.PaymentV1;
import dev.paystream.events.v1.RefundV1;
import dev.paystream.platform.consumer.EventClaims;
import dev.paystream.platform.consumer.EventHandler;
import dev.paystream.platform.consumer.IncomingEvent;
import dev.paystream.platform.consumer.Refusal;
import dev.paystream.platform.consumer.WantedTypes;
import dev.paystream.platform.money.ActiveCurrencies;
import dev.paystream.platform.outbox.OutboxWriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessResourceException;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Pays invoices from {@code paystream.payments.v1} through the platform's idempotent consumer
 * ({@code EventConsumer}, ADR 0004): each {@code payment.captured} of a payment that names an
 * {@code invoice_id} is applied to that invoice, each {@code payment.refunded} of one is taken back.
 *
 * <p>A poll's events are applied in one transaction that first claims their ids
 * ({@link EventClaims#claimThen}), so the claim of each event commits with the invoice events it
 * caused and a record delivered again changes nothing. Payment events that name no invoice are
 * neither claimed nor applied: they concern no invoice. An event that can never be applied as it is
 * (its data is not the v1 shape, it names no invoice of its merchant, or the invoice refuses it: void,
 * paid, another currency, more than is due) is refused, and the consumer parks it for the operator;
 * the invoice is left as it was.
 *
 * <p>Only captures and refunds can concern an invoice: the records of every other payment type are
 * skipped by their type header, unread ({@link #wantedTypes}). Most records of the topic are of those
 * types (an authorization, a settlement, ... per payment), and reading each one's envelope cost about
 * 22 us of CPU against 0.14 us to skip it (BatchApplierTest's measurement).
 */
public final class PaymentEventsHandler implements EventHandler {

    /** The consumer's name: its Kafka client id, the owner of its claims and parked events, a metric tag. */
    public static final String CONSUMER = "invoice-payments";

    private static final Logger log = LoggerFactory.getLogger(PaymentEventsHandler.class);
    /**
     * The shapes of payment-service's ids (CONTRACT §1 prefixes). The invoice events name them, and
     * their schemas say so: an id of another shape would make an invoice event no consumer can trust.
     */
    private static final Pattern PAYMENT_ID = Pattern.compile("pay_[A-Za-z0-9]{1,251}");
    private static final Pattern REFUND_ID = Pattern.compile("re_[A-Za-z0-9]{1,252}");

    private final EventClaims claims;
    private final InvoiceCommandHandler commands;
    private final OutboxWriter outbox;

    public PaymentEventsHandler(EventClaims claims, InvoiceCommandHandler commands, OutboxWriter outbox) {
        this.claims = claims;
        this.commands = commands;
        this.outbox = outbox;
    }

    private static final WantedTypes WANTED = WantedTypes.only(List.of(EventTypes.PAYMENT_CAPTURED, EventTypes.PAYMENT_REFUNDED));
    private static final Mono<WantedTypes> WANTED_ALWAYS = Mono.just(WANTED);

    /** What a payment event asks of an invoice: nothing, a payment to apply, or something that can never be applied. */
    private sealed interface Reading {
        record Ignored() implements Reading {
        }

        record Apply(PaymentToApply payment) implements Reading {
        }

        record Refused(String reason) implements Reading {
        }
    }

    @Override
    public Mono<WantedTypes> wantedTypes() {
        return WANTED_ALWAYS;
    }

    @Override
    public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
        List<Refusal> refusals = new ArrayList<>();
        Map<IncomingEvent, PaymentToApply> payments = new IdentityHashMap<>();
        List<IncomingEvent> toApply = new ArrayList<>();
        for (IncomingEvent event : events) {
            Reading reading = read(event);
            if (reading instanceof Reading.Apply apply) {
                payments.put(event, apply.payment());
                toApply.add(event);
            } else if (reading instanceof Reading.Refused refused) {
                refusals.add(new Refusal(event, refused.reason()));
            }
        }
        if (toApply.isEmpty()) {
            return Mono.just(refusals);
        }
        // A statement that fails ends a PostgreSQL transaction: a race lost to another writer of an invoice
        // (a merchant's edit, a payment read by another consumer) repeats the whole transaction.
        return Mono.defer(() -> claims.claimThen(CONSUMER, toApply,
                        claimed -> Flux.fromIterable(claimed).concatMap(event -> applyOne(event, payments.get(event))).collectList()))
                .retryWhen(Retry.max(InvoiceCommandHandler.CONCURRENCY_RETRIES_MAX).filter(ConcurrentInvoiceChange.class::isInstance))
                // Without the cause: its unique violation would read as a fault of the records, and park them.
                .onErrorMap(Exceptions::isRetryExhausted, exhausted -> new TransientDataAccessResourceException(
                        "invoices of this poll kept changing concurrently; the poll is applied again"))
                .map(refusedNow -> {
                    // The invoice events' outbox rows are committed now: the relay publishes them at once.
                    outbox.rowsWritten();
                    List<Refusal> all = new ArrayList<>(refusals);
                    all.addAll(refusedNow);
                    return all;
                });
    }

    private Mono<Refusal> applyOne(IncomingEvent event, PaymentToApply payment) {
        return commands.applyPayment(payment).mapNotNull(outcome -> {
            if (outcome instanceof Outcome.Done done) {
                log.debug("Applied {} {} of {} to {}: {} events", event.type(), event.id(), payment.paymentId(), payment.invoiceId(),
                        done.events().size());
                return null;
            }
            if (outcome instanceof Outcome.Refused refused) {
                return new Refusal(event, refused.rejection().rejection().code() + ": " + refused.rejection().detail());
            }
            return new Refusal(event, "payment " + payment.paymentId() + " names invoice " + payment.invoiceId()
                    + ", which merchant " + payment.merchantId() + " does not have");
        });
    }

    private static Reading read(IncomingEvent event) {
        if (EventTypes.PAYMENT_CAPTURED.equals(event.type())) {
            Optional<PaymentCapturedV1> captured = event.data().as(PaymentCapturedV1.class);
            if (captured.isEmpty() || captured.get().payment() == null) {
                return new Reading.Refused("its data is not the v1 shape of " + event.type());
            }
            return reading(event, captured.get().payment(), null, captured.get().amount(), captured.get().currency());
        }
        if (EventTypes.PAYMENT_REFUNDED.equals(event.type())) {
            Optional<PaymentRefundedV1> refunded = event.data().as(PaymentRefundedV1.class);
            if (refunded.isEmpty() || refunded.get().payment() == null) {
                return new Reading.Refused("its data is not the v1 shape of " + event.type());
            }
            RefundV1 refund = refunded.get().refund();
            if (refund == null || refund.id() == null || !REFUND_ID.matcher(refund.id()).matches()) {
                return new Reading.Refused("a refund without a refund id (re_...)");
            }
            return reading(event, refunded.get().payment(), refund.id(), refunded.get().amount(), refunded.get().currency());
        }
        return new Reading.Ignored();
    }

    private static Reading reading(IncomingEvent event, PaymentV1 payment, String refundId, long amount, String currency) {
        String invoiceId = payment.invoiceId();
        if (invoiceId == null) {
            return new Reading.Ignored();
        }
        if (event.merchantId() == null) {
            return new Reading.Refused("no merchant_id");
        }
        if (payment.id() == null || !PAYMENT_ID.matcher(payment.id()).matches()) {
            return new Reading.Refused("a payment without a payment id (pay_...)");
        }
        if (!invoiceId.startsWith(InvoiceId.PREFIX)) {
            return new Reading.Refused("payment " + payment.id() + " names " + invoiceId + ", which is no invoice id");
        }
        if (amount < 1 || amount > Money.AMOUNT_MAX) {
            return new Reading.Refused("amount " + amount + " is not 1 to " + Money.AMOUNT_MAX);
        }
        return ActiveCurrencies.of(currency)
                .<Reading>map(known -> new Reading.Apply(new PaymentToApply(event.merchantId(), new InvoiceId(invoiceId), payment.id(),
                        refundId, new Money(amount, known))))
                .orElseGet(() -> new Reading.Refused("currency " + currency + " is no currency in circulation"));
    }
}
