package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.events.v1.RefundV1;
import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.application.RefundQueries;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import dev.paystream.platform.store.TableRows;
import dev.paystream.platform.web.PageRequest;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code refunds} table: one row per refund, written by the payment event store in the statement
 * that appends its {@code payment.refunded} event, and marked settled by the settlement that carries it.
 */
public final class RefundReadModel implements RefundQueries {

    private final DatabaseClient database;

    public RefundReadModel(DatabaseClient database) {
        this.database = database;
    }

    /** The rows of the refunds among {@code events} of {@code merchantId}'s payment, as a part of their append. */
    TableRows rows(String merchantId, List<PaymentEvent> events) {
        TableRows rows = TableRows.into("refunds", "id", "payment_id", "merchant_id", "amount", "currency", "reason", "status", "created_at");
        for (PaymentEvent event : events) {
            if (event instanceof PaymentRefunded refunded) {
                RefundV1 refund = PaymentContractMapper.toRefund(refunded);
                rows.row(refund.id(), refund.paymentId(), merchantId, refund.amount(), refund.currency(),
                        Parameter.fromOrEmpty(refund.reason(), String.class), refund.status(), refund.createdAt());
            }
        }
        return rows;
    }

    @Override
    public Mono<RefundV1> find(String id, String merchantId) {
        return database.sql("SELECT * FROM refunds WHERE id = :id AND merchant_id = :merchantId")
                .bind("id", id)
                .bind("merchantId", merchantId)
                .map(RefundReadModel::toRefund)
                .one();
    }

    @Override
    public Flux<RefundV1> list(String merchantId, String paymentId, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT r.* FROM refunds r WHERE r.merchant_id = :merchantId");
        if (paymentId != null) {
            sql.append(" AND r.payment_id = :paymentId");
        }
        if (page.startingAfter() != null) {
            sql.append(" AND (r.created_at, r.id) < (SELECT c.created_at, c.id FROM refunds c WHERE c.id = :cursor AND c.merchant_id = :merchantId)");
        }
        sql.append(" ORDER BY r.created_at DESC, r.id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("merchantId", merchantId).bind("limit", page.rowsToFetch());
        if (paymentId != null) {
            query = query.bind("paymentId", paymentId);
        }
        if (page.startingAfter() != null) {
            query = query.bind("cursor", page.startingAfter());
        }
        return query.map(RefundReadModel::toRefund).all();
    }

    private static RefundV1 toRefund(Readable row) {
        return new RefundV1(row.get("id", String.class), row.get("payment_id", String.class), row.get("amount", Long.class),
                row.get("currency", String.class), row.get("reason", String.class), row.get("status", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
