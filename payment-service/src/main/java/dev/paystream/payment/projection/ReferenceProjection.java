package dev.paystream.payment.projection;

import dev.paystream.platform.consumer.EventClaims;
import dev.paystream.platform.consumer.EventHandler;
import dev.paystream.platform.consumer.IncomingEvent;
import dev.paystream.platform.consumer.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code customer_projection} and {@code invoice_projection} from the customer and invoice
 * topics, through the platform's idempotent consumer: each poll's events are claimed and applied in one
 * transaction, every event of a customer or invoice carries the object as the API shows it, so the
 * latest event of each in a poll is all that is written, and a row is never set back to an older
 * sequence. {@code amount_held} is this service's own figure and never touched here.
 */
public final class ReferenceProjection implements EventHandler {

    public static final String CONSUMER = "payment-references";

    /** The part of an event's {@code data} read here; other members are ignored (tolerant reader). */
    record CustomerData(Customer customer) {
        record Customer(String id) {
        }
    }

    record InvoiceData(Invoice invoice) {
        record Invoice(String id, String customerId, Long amount, String currency, String status) {
        }
    }

    private record CustomerRow(String merchantId, String customerId, long sequence) {
    }

    private record InvoiceRow(String merchantId, InvoiceData.Invoice invoice, long sequence) {
    }

    private final DatabaseClient database;
    private final EventClaims claims;

    public ReferenceProjection(DatabaseClient database, EventClaims claims) {
        this.database = database;
        this.claims = claims;
    }

    @Override
    public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
        return claims.claimThen(CONSUMER, events, this::project);
    }

    private Mono<List<Refusal>> project(List<IncomingEvent> events) {
        List<Refusal> refusals = new ArrayList<>();
        Map<List<String>, CustomerRow> customers = new LinkedHashMap<>();
        Map<List<String>, InvoiceRow> invoices = new LinkedHashMap<>();
        for (IncomingEvent event : events) {
            if (event.merchantId() == null) {
                refusals.add(new Refusal(event, "an event without merchant_id cannot be projected"));
            } else if (event.type().startsWith("customer.")) {
                Optional<String> id = event.data().as(CustomerData.class).map(CustomerData::customer).map(CustomerData.Customer::id);
                id.ifPresentOrElse(customerId -> customers.merge(List.of(event.merchantId(), customerId),
                                new CustomerRow(event.merchantId(), customerId, event.sequence()), ReferenceProjection::later),
                        () -> refusals.add(new Refusal(event, "data.customer.id is missing")));
            } else if (event.type().startsWith("invoice.")) {
                Optional<InvoiceData.Invoice> invoice = event.data().as(InvoiceData.class).map(InvoiceData::invoice)
                        .filter(ReferenceProjection::complete);
                invoice.ifPresentOrElse(terms -> invoices.merge(List.of(event.merchantId(), terms.id()),
                                new InvoiceRow(event.merchantId(), terms, event.sequence()), ReferenceProjection::later),
                        () -> refusals.add(new Refusal(event, "data.invoice lacks id, customer_id, amount, currency or status")));
            }
            // Other types on these topics carry nothing a payment is checked against.
        }
        return upsertCustomers(List.copyOf(customers.values())).then(upsertInvoices(List.copyOf(invoices.values()))).thenReturn(refusals);
    }

    private static boolean complete(InvoiceData.Invoice invoice) {
        return invoice.id() != null && invoice.customerId() != null && invoice.amount() != null && invoice.currency() != null
                && invoice.status() != null;
    }

    private static <R> R later(R first, R second) {
        long firstSequence = first instanceof CustomerRow c ? c.sequence() : ((InvoiceRow) first).sequence();
        long secondSequence = second instanceof CustomerRow c ? c.sequence() : ((InvoiceRow) second).sequence();
        return secondSequence >= firstSequence ? second : first;
    }

    private Mono<Void> upsertCustomers(List<CustomerRow> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return database.sql("""
                        INSERT INTO customer_projection (merchant_id, customer_id, sequence)
                        SELECT * FROM unnest(CAST(:merchants AS TEXT[]), CAST(:customers AS TEXT[]), CAST(:sequences AS BIGINT[]))
                        ON CONFLICT (merchant_id, customer_id) DO UPDATE SET sequence = EXCLUDED.sequence
                        WHERE customer_projection.sequence < EXCLUDED.sequence""")
                .bind("merchants", rows.stream().map(CustomerRow::merchantId).toArray(String[]::new))
                .bind("customers", rows.stream().map(CustomerRow::customerId).toArray(String[]::new))
                .bind("sequences", rows.stream().map(CustomerRow::sequence).toArray(Long[]::new))
                .then();
    }

    private Mono<Void> upsertInvoices(List<InvoiceRow> rows) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return database.sql("""
                        INSERT INTO invoice_projection (merchant_id, invoice_id, customer_id, currency, amount, status, sequence)
                        SELECT * FROM unnest(CAST(:merchants AS TEXT[]), CAST(:invoices AS TEXT[]), CAST(:customers AS TEXT[]),
                                             CAST(:currencies AS TEXT[]), CAST(:amounts AS BIGINT[]), CAST(:statuses AS TEXT[]),
                                             CAST(:sequences AS BIGINT[]))
                        ON CONFLICT (merchant_id, invoice_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, currency = EXCLUDED.currency,
                            amount = EXCLUDED.amount, status = EXCLUDED.status, sequence = EXCLUDED.sequence
                        WHERE invoice_projection.sequence < EXCLUDED.sequence""")
                .bind("merchants", rows.stream().map(InvoiceRow::merchantId).toArray(String[]::new))
                .bind("invoices", rows.stream().map(row -> row.invoice().id()).toArray(String[]::new))
                .bind("customers", rows.stream().map(row -> row.invoice().customerId()).toArray(String[]::new))
                .bind("currencies", rows.stream().map(row -> row.invoice().currency().toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new))
                .bind("amounts", rows.stream().map(row -> row.invoice().amount()).toArray(Long[]::new))
                .bind("statuses", rows.stream().map(row -> row.invoice().status()).toArray(String[]::new))
                .bind("sequences", rows.stream().map(InvoiceRow::sequence).toArray(Long[]::new))
                .then();
    }
}
