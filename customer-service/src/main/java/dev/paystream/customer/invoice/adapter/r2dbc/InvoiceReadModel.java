package dev.paystream.customer.invoice.adapter.r2dbc;

import dev.paystream.customer.invoice.adapter.contract.InvoiceContractMapper;
import dev.paystream.customer.invoice.application.InvoicePayment;
import dev.paystream.customer.invoice.application.InvoiceQueries;
import dev.paystream.customer.invoice.domain.AppliedPayment;
import dev.paystream.customer.invoice.domain.Invoice;
import dev.paystream.events.v1.InvoiceV1;
import dev.paystream.platform.store.TableRows;
import dev.paystream.platform.web.PageRequest;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code invoices} and {@code invoice_payments} tables: each invoice's current state and the
 * payments applied to it, for reads, written by the event store in the statement of every append
 * and never anywhere else.
 */
public final class InvoiceReadModel implements InvoiceQueries {

    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() { };

    private final DatabaseClient database;
    private final JsonMapper jsonMapper;

    public InvoiceReadModel(DatabaseClient database, JsonMapper jsonMapper) {
        this.database = database;
        this.jsonMapper = jsonMapper;
    }

    /** The invoice's row as a part of the append that leads to it; never back to an older version. */
    TableRows row(Invoice invoice) {
        InvoiceV1 shown = InvoiceContractMapper.toContract(invoice);
        return TableRows.into("invoices", "id", "merchant_id", "customer_id", "status", "amount", "amount_paid", "currency",
                        "description", "due_date", "metadata", "version", "created_at", "updated_at")
                .row(shown.id(), invoice.merchantId(), shown.customerId(), shown.status(), shown.amount(), shown.amountPaid(),
                        shown.currency(), Parameter.fromOrEmpty(shown.description(), String.class),
                        Parameter.fromOrEmpty(shown.dueDate(), LocalDate.class), Json.of(jsonMapper.writeValueAsString(shown.metadata())),
                        invoice.version(), invoice.createdAt(), invoice.updatedAt())
                .onConflict("""
                        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, amount = EXCLUDED.amount,
                            amount_paid = EXCLUDED.amount_paid, description = EXCLUDED.description, due_date = EXCLUDED.due_date,
                            metadata = EXCLUDED.metadata, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                        WHERE invoices.version < EXCLUDED.version""");
    }

    /** The rows of {@code payments} of {@code invoice} (those an append changed), as a part of that append. */
    TableRows paymentRows(Invoice invoice, Collection<AppliedPayment> payments) {
        TableRows rows = TableRows.into("invoice_payments", "invoice_id", "payment_id", "merchant_id", "amount_applied",
                "amount_reversed", "currency", "applied_at", "reversed_at", "version");
        for (AppliedPayment payment : payments) {
            rows.row(invoice.id().value(), payment.paymentId(), invoice.merchantId(), payment.amountApplied().amountMinor(),
                    payment.amountReversed().amountMinor(), payment.amountApplied().currencyCode(), payment.appliedAt(),
                    Parameter.fromOrEmpty(payment.reversedAt(), Instant.class), invoice.version());
        }
        return rows.onConflict("""
                ON CONFLICT (invoice_id, payment_id) DO UPDATE SET amount_reversed = EXCLUDED.amount_reversed,
                    reversed_at = EXCLUDED.reversed_at, version = EXCLUDED.version
                WHERE invoice_payments.version < EXCLUDED.version""");
    }

    @Override
    public Mono<InvoiceV1> find(String id, String merchantId) {
        return database.sql("SELECT *, metadata::text AS metadata_json FROM invoices WHERE id = :id AND merchant_id = :merchantId")
                .bind("id", id)
                .bind("merchantId", merchantId)
                .map(this::toInvoice)
                .one();
    }

    @Override
    public Flux<InvoiceV1> list(String merchantId, Filter filter, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT i.*, i.metadata::text AS metadata_json FROM invoices i WHERE i.merchant_id = :merchantId");
        if (filter.customerId() != null) {
            sql.append(" AND i.customer_id = :customerId");
        }
        if (filter.status() != null) {
            sql.append(" AND i.status = :status");
        }
        if (page.startingAfter() != null) {
            sql.append(" AND (i.created_at, i.id) < (SELECT a.created_at, a.id FROM invoices a WHERE a.id = :cursor AND a.merchant_id = :merchantId)");
        }
        sql.append(" ORDER BY i.created_at DESC, i.id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("merchantId", merchantId).bind("limit", page.rowsToFetch());
        if (filter.customerId() != null) {
            query = query.bind("customerId", filter.customerId());
        }
        if (filter.status() != null) {
            query = query.bind("status", filter.status().wireName());
        }
        if (page.startingAfter() != null) {
            query = query.bind("cursor", page.startingAfter());
        }
        return query.map(this::toInvoice).all();
    }

    @Override
    public Flux<InvoicePayment> payments(String invoiceId, String merchantId, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT p.* FROM invoice_payments p WHERE p.invoice_id = :invoiceId AND p.merchant_id = :merchantId");
        if (page.startingAfter() != null) {
            sql.append(" AND (p.applied_at, p.payment_id) < (SELECT a.applied_at, a.payment_id FROM invoice_payments a"
                    + " WHERE a.invoice_id = :invoiceId AND a.payment_id = :cursor)");
        }
        sql.append(" ORDER BY p.applied_at DESC, p.payment_id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("invoiceId", invoiceId).bind("merchantId", merchantId)
                .bind("limit", page.rowsToFetch());
        if (page.startingAfter() != null) {
            query = query.bind("cursor", page.startingAfter());
        }
        return query.map(InvoiceReadModel::toPayment).all();
    }

    @Override
    public Mono<InvoicePayment> payment(String invoiceId, String merchantId, String paymentId) {
        return database.sql("SELECT * FROM invoice_payments WHERE invoice_id = :invoiceId AND merchant_id = :merchantId AND payment_id = :paymentId")
                .bind("invoiceId", invoiceId)
                .bind("merchantId", merchantId)
                .bind("paymentId", paymentId)
                .map(InvoiceReadModel::toPayment)
                .one();
    }

    private static InvoicePayment toPayment(Readable row) {
        return new InvoicePayment(row.get("payment_id", String.class), row.get("amount_applied", Long.class),
                row.get("amount_reversed", Long.class), row.get("currency", String.class), instant(row, "applied_at"),
                instant(row, "reversed_at"));
    }

    private InvoiceV1 toInvoice(Readable row) {
        long amount = row.get("amount", Long.class);
        long amountPaid = row.get("amount_paid", Long.class);
        return new InvoiceV1(row.get("id", String.class), row.get("status", String.class), row.get("customer_id", String.class),
                amount, amountPaid, amount - amountPaid, row.get("currency", String.class), row.get("description", String.class),
                row.get("due_date", LocalDate.class), jsonMapper.readValue(row.get("metadata_json", String.class), METADATA),
                instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
