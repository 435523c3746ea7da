package dev.paystream.customer.invoice.application;

import dev.paystream.customer.invoice.domain.Invoice;
import dev.paystream.customer.invoice.domain.InvoiceEvent;
import dev.paystream.customer.invoice.domain.InvoiceId;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The append-only history of invoices. An append is one statement: the events, their outbox rows and
 * the read model commit together or not at all.
 */
public interface InvoiceEventStore {

    /**
     * Appends {@code events} after {@code current} (null for a new invoice) and returns the invoice they
     * lead to. Fails with {@link ConcurrentInvoiceChange} when another writer appended first.
     */
    Mono<Invoice> append(Invoice current, List<InvoiceEvent> events);

    /** The invoice rebuilt from its events; empty when it does not exist or belongs to another merchant. */
    Mono<Invoice> load(InvoiceId id, String merchantId);

    /** The invoice's history, oldest first; empty when it does not exist or belongs to another merchant. */
    Flux<RecordedInvoiceEvent> history(InvoiceId id, String merchantId);
}
