package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.events.v1.CardV1;
import dev.paystream.events.v1.PaymentV1;
import dev.paystream.payment.payment.domain.CardSummary;
import dev.paystream.payment.payment.domain.Payment;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import dev.paystream.payment.payment.application.PaymentQueries;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.SqlPart;
import dev.paystream.platform.store.TableRows;
import java.util.List;
import dev.paystream.platform.web.PageRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code payments} table: each payment's current state for reads, written by the event store in
 * the transaction of every append and never anywhere else.
 */
public final class PaymentReadModel implements PaymentQueries {

    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() { };

    private final DatabaseClient database;
    private final JsonMapper jsonMapper;

    public PaymentReadModel(DatabaseClient database, JsonMapper jsonMapper) {
        this.database = database;
        this.jsonMapper = jsonMapper;
    }

    /**
     * The payment's row as a part of the append that leads to it: inserted with its first events,
     * updated with every later append (never back to an older version).
     */
    TableRows row(Payment payment) {
        var details = payment.details();
        CardSummary card = details.card();
        return TableRows.into("payments", "id", "merchant_id", "status", "amount", "amount_capturable", "amount_captured",
                        "amount_refunded", "currency", "payment_method", "capture_method", "card_brand", "card_last4", "card_exp_month",
                        "card_exp_year", "customer_id", "invoice_id", "description", "metadata", "auth_code", "decline_code",
                        "failure_code", "settlement_id", "version", "created_at", "updated_at")
                .row(payment.id().value(), payment.merchantId(), payment.status().wireName(), details.amount().amountMinor(),
                        payment.amountCapturable(), payment.amountCaptured(), payment.amountRefunded(), details.amount().currencyCode(),
                        details.method().wireName(), details.captureMethod().wireName(),
                        nullable(card == null ? null : card.brand(), String.class),
                        nullable(card == null ? null : card.last4(), String.class),
                        nullable(card == null ? null : card.expMonth(), Integer.class),
                        nullable(card == null ? null : card.expYear(), Integer.class),
                        nullable(details.customerId(), String.class), nullable(details.invoiceId(), String.class),
                        nullable(details.description(), String.class), Json.of(jsonMapper.writeValueAsString(details.metadata())),
                        nullable(payment.authCode(), String.class), nullable(payment.declineCode(), String.class),
                        nullable(payment.failureCode(), String.class), nullable(payment.settlementId(), String.class), payment.version(),
                        payment.createdAt(), payment.updatedAt())
                .onConflict("""
                        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, amount_capturable = EXCLUDED.amount_capturable,
                            amount_captured = EXCLUDED.amount_captured, amount_refunded = EXCLUDED.amount_refunded,
                            auth_code = EXCLUDED.auth_code, decline_code = EXCLUDED.decline_code, failure_code = EXCLUDED.failure_code,
                            settlement_id = EXCLUDED.settlement_id, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                        WHERE payments.version < EXCLUDED.version""");
    }

    /**
     * The settlement of {@code settled} (payments as their {@code payment.settled} events left them) as one
     * part of the append of those events: their settlement ids, versions and update times.
     */
    SqlPart settled(String part, List<Payment> settled) {
        return SqlPart.of("UPDATE payments SET settlement_id = s.settlement_id, version = s.version, updated_at = s.updated_at"
                        + " FROM unnest(CAST(:" + part + "_ids AS TEXT[]), CAST(:" + part + "_settlements AS TEXT[]), CAST(:" + part
                        + "_versions AS BIGINT[]), CAST(CAST(:" + part + "_updated AS TEXT[]) AS TIMESTAMPTZ[])) AS s (id, settlement_id, version, updated_at)"
                        + " WHERE payments.id = s.id AND payments.version < s.version AND " + AppendStatement.FENCED,
                Map.of(part + "_ids", Parameter.from(settled.stream().map(payment -> payment.id().value()).toArray(String[]::new)),
                        part + "_settlements", Parameter.from(settled.stream().map(Payment::settlementId).toArray(String[]::new)),
                        part + "_versions", Parameter.from(settled.stream().map(Payment::version).toArray(Long[]::new)),
                        part + "_updated", Parameter.from(settled.stream().map(payment -> payment.updatedAt().toString()).toArray(String[]::new))));
    }

    @Override
    public Mono<PaymentV1> find(String id, String merchantId) {
        return database.sql("SELECT *, metadata::text AS metadata_json FROM payments WHERE id = :id AND merchant_id = :merchantId")
                .bind("id", id)
                .bind("merchantId", merchantId)
                .map(this::toPayment)
                .one();
    }

    @Override
    public Flux<PaymentV1> list(String merchantId, Filter filter, PageRequest page) {
        String startingAfter = page.startingAfter();
        StringBuilder sql = new StringBuilder("SELECT p.*, p.metadata::text AS metadata_json FROM payments p WHERE p.merchant_id = :merchantId");
        if (filter.customerId() != null) {
            sql.append(" AND p.customer_id = :customerId");
        }
        if (filter.status() != null) {
            sql.append(" AND p.status = :status");
        }
        if (filter.invoiceId() != null) {
            sql.append(" AND p.invoice_id = :invoiceId");
        }
        if (startingAfter != null) {
            sql.append(" AND (p.created_at, p.id) < (SELECT c.created_at, c.id FROM payments c WHERE c.id = :cursor AND c.merchant_id = :merchantId)");
        }
        sql.append(" ORDER BY p.created_at DESC, p.id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("merchantId", merchantId).bind("limit", page.rowsToFetch());
        if (filter.customerId() != null) {
            query = query.bind("customerId", filter.customerId());
        }
        if (filter.status() != null) {
            query = query.bind("status", filter.status());
        }
        if (filter.invoiceId() != null) {
            query = query.bind("invoiceId", filter.invoiceId());
        }
        if (startingAfter != null) {
            query = query.bind("cursor", startingAfter);
        }
        return query.map(this::toPayment).all();
    }

    private PaymentV1 toPayment(Readable row) {
        String brand = row.get("card_brand", String.class);
        CardV1 card = brand == null ? null : new CardV1(brand, row.get("card_last4", String.class),
                row.get("card_exp_month", Integer.class), row.get("card_exp_year", Integer.class));
        return new PaymentV1(row.get("id", String.class), row.get("status", String.class), row.get("amount", Long.class),
                row.get("amount_capturable", Long.class), row.get("amount_captured", Long.class), row.get("amount_refunded", Long.class),
                row.get("currency", String.class), row.get("payment_method", String.class), card,
                row.get("customer_id", String.class), row.get("invoice_id", String.class), row.get("description", String.class),
                jsonMapper.readValue(row.get("metadata_json", String.class), METADATA),
                row.get("auth_code", String.class), row.get("decline_code", String.class), row.get("failure_code", String.class),
                row.get("settlement_id", String.class),
                instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }

    private static <T> Parameter nullable(T value, Class<T> type) {
        return Parameter.fromOrEmpty(value, type);
    }
}
