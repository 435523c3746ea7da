package dev.paystream.payment.payout.adapter.r2dbc;

import dev.paystream.events.v1.PayoutV1;
import dev.paystream.payment.payout.adapter.contract.PayoutContractMapper;
import dev.paystream.payment.payout.application.PayoutQueries;
import dev.paystream.payment.payout.domain.Payout;
import dev.paystream.platform.store.TableRows;
import dev.paystream.platform.web.PageRequest;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code payouts} table: each payout's current state for reads, written by the event store in the
 * statement of every append and never anywhere else.
 */
public final class PayoutReadModel implements PayoutQueries {

    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() { };

    private final DatabaseClient database;
    private final JsonMapper jsonMapper;

    public PayoutReadModel(DatabaseClient database, JsonMapper jsonMapper) {
        this.database = database;
        this.jsonMapper = jsonMapper;
    }

    /** The payout's row as a part of the append that leads to it; never back to an older version. */
    TableRows row(Payout payout) {
        PayoutV1 shown = PayoutContractMapper.toContract(payout);
        return TableRows.into("payouts", "id", "merchant_id", "status", "customer_id", "amount", "currency", "method", "description",
                        "metadata", "failure_code", "version", "created_at", "updated_at")
                .row(shown.id(), payout.merchantId(), shown.status(), shown.customerId(), shown.amount(), shown.currency(), shown.method(),
                        Parameter.fromOrEmpty(shown.description(), String.class), Json.of(jsonMapper.writeValueAsString(shown.metadata())),
                        Parameter.fromOrEmpty(shown.failureCode(), String.class), payout.version(), payout.createdAt(), payout.updatedAt())
                .onConflict("""
                        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, failure_code = EXCLUDED.failure_code,
                            version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                        WHERE payouts.version < EXCLUDED.version""");
    }

    @Override
    public Mono<PayoutV1> find(String id, String merchantId) {
        return database.sql("SELECT *, metadata::text AS metadata_json FROM payouts WHERE id = :id AND merchant_id = :merchantId")
                .bind("id", id)
                .bind("merchantId", merchantId)
                .map(this::toPayout)
                .one();
    }

    @Override
    public Flux<PayoutV1> list(String merchantId, Filter filter, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT p.*, p.metadata::text AS metadata_json FROM payouts p WHERE p.merchant_id = :merchantId");
        if (filter.customerId() != null) {
            sql.append(" AND p.customer_id = :customerId");
        }
        if (filter.status() != null) {
            sql.append(" AND p.status = :status");
        }
        if (page.startingAfter() != null) {
            sql.append(" AND (p.created_at, p.id) < (SELECT c.created_at, c.id FROM payouts c WHERE c.id = :cursor AND c.merchant_id = :merchantId)");
        }
        sql.append(" ORDER BY p.created_at DESC, p.id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("merchantId", merchantId).bind("limit", page.rowsToFetch());
        if (filter.customerId() != null) {
            query = query.bind("customerId", filter.customerId());
        }
        if (filter.status() != null) {
            query = query.bind("status", filter.status());
        }
        if (page.startingAfter() != null) {
            query = query.bind("cursor", page.startingAfter());
        }
        return query.map(this::toPayout).all();
    }

    private PayoutV1 toPayout(Readable row) {
        return new PayoutV1(row.get("id", String.class), row.get("status", String.class), row.get("customer_id", String.class),
                row.get("amount", Long.class), row.get("currency", String.class), row.get("method", String.class),
                row.get("description", String.class), jsonMapper.readValue(row.get("metadata_json", String.class), METADATA),
                row.get("failure_code", String.class), instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }
}
