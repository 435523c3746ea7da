package dev.paystream.customer.invoice.application;

import dev.paystream.customer.invoice.domain.Decision;
import dev.paystream.customer.invoice.domain.Invoice;
import dev.paystream.customer.invoice.domain.InvoiceEdit;
import dev.paystream.customer.invoice.domain.InvoiceEvent;
import dev.paystream.customer.invoice.domain.InvoiceId;
import dev.paystream.platform.ids.TimeOrderedIds;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs invoice commands: load the invoice, let it decide, append what it decided. The merchant's
 * commands that lose a race with another writer on the same invoice are decided again on the fresh
 * state, a few times at most. Payments are applied inside the caller's transaction, which retries as a
 * whole (a failed statement ends a PostgreSQL transaction).
 */
public final class InvoiceCommandHandler {

    /** How often a command is re-decided after losing a race before the caller is told to retry. */
    public static final int CONCURRENCY_RETRIES_MAX = 5;

    private final InvoiceEventStore store;
    private final CustomerDirectory customers;
    private final Clock clock;

    public InvoiceCommandHandler(InvoiceEventStore store, CustomerDirectory customers, Clock clock) {
        this.store = store;
        this.customers = customers;
        this.clock = clock;
    }

    /** The outcome of a command. */
    public sealed interface Outcome {
        /** {@code events} are the ones this command appended (none when there was nothing to change). */
        record Done(Invoice invoice, List<InvoiceEvent> events) implements Outcome {
        }

        record Refused(Decision.Rejected rejection) implements Outcome {
        }

        /** No such invoice of the merchant. */
        record NotFound() implements Outcome {
        }

        /** No such customer of the merchant, to issue the invoice to. */
        record CustomerMissing() implements Outcome {
        }
    }

    /** Issues a new invoice to one of the merchant's customers. */
    public Mono<Outcome> create(CreateInvoice command) {
        return customers.exists(command.merchantId(), command.customerId()).flatMap(exists -> {
            if (!exists) {
                return Mono.just(new Outcome.CustomerMissing());
            }
            InvoiceId id = new InvoiceId(TimeOrderedIds.newId(InvoiceId.PREFIX));
            List<InvoiceEvent> events = Invoice.create(id, command.merchantId(), command.customerId(), command.terms(), now());
            return store.append(null, events).map(invoice -> new Outcome.Done(invoice, events));
        });
    }

    /** Edits the terms of an open invoice on which nothing is paid. */
    public Mono<Outcome> edit(String merchantId, InvoiceId id, InvoiceEdit edit) {
        return retryingRaces(decideAndAppend(merchantId, id, invoice -> invoice.edit(edit, now())));
    }

    /** Voids an open invoice on which nothing is paid. */
    public Mono<Outcome> voidInvoice(String merchantId, InvoiceId id) {
        return retryingRaces(decideAndAppend(merchantId, id, invoice -> invoice.voidInvoice(now())));
    }

    /**
     * Applies a payment event's capture or refund to its invoice, once. Runs in the caller's
     * transaction and does not retry: a {@link ConcurrentInvoiceChange} fails it, and the caller
     * repeats the whole transaction.
     */
    public Mono<Outcome> applyPayment(PaymentToApply payment) {
        return decideAndAppend(payment.merchantId(), payment.invoiceId(), invoice -> payment.isRefund()
                ? invoice.reversePayment(payment.paymentId(), payment.refundId(), payment.amount(), now())
                : invoice.applyPayment(payment.paymentId(), payment.amount(), now()));
    }

    private Mono<Outcome> decideAndAppend(String merchantId, InvoiceId id, Function<Invoice, Decision> decide) {
        return Mono.defer(() -> store.load(id, merchantId)
                .flatMap(invoice -> {
                    Decision decision = decide.apply(invoice);
                    if (decision instanceof Decision.Rejected rejected) {
                        return Mono.<Outcome>just(new Outcome.Refused(rejected));
                    }
                    List<InvoiceEvent> events = ((Decision.Accepted) decision).events();
                    if (events.isEmpty()) {
                        return Mono.<Outcome>just(new Outcome.Done(invoice, events));
                    }
                    return store.append(invoice, events).<Outcome>map(after -> new Outcome.Done(after, events));
                })
                .defaultIfEmpty(new Outcome.NotFound()));
    }

    private static Mono<Outcome> retryingRaces(Mono<Outcome> command) {
        return command.retryWhen(Retry.max(CONCURRENCY_RETRIES_MAX).filter(ConcurrentInvoiceChange.class::isInstance));
    }

    /** Timestamps are kept to the millisecond, as PostgreSQL and the API show them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
