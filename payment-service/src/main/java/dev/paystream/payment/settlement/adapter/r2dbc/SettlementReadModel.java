package dev.paystream.payment.settlement.adapter.r2dbc;

import dev.paystream.events.v1.SettlementV1;
import dev.paystream.payment.settlement.adapter.contract.SettlementContractMapper;
import dev.paystream.payment.settlement.application.SettlementQueries;
import dev.paystream.payment.settlement.domain.SettlementLine;
import dev.paystream.platform.web.PageRequest;
import io.r2dbc.spi.Readable;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Completed settlements from {@code settlements}, and their lines from {@code settlement_lines}, for reads. */
public final class SettlementReadModel implements SettlementQueries {

    private final DatabaseClient database;
    private final int pageSize;

    /** @param pageSize lines read from the database at a time for the file */
    public SettlementReadModel(DatabaseClient database, int pageSize) {
        this.database = database;
        this.pageSize = pageSize;
    }

    @Override
    public Mono<SettlementV1> find(String id, String merchantId) {
        return database.sql("SELECT * FROM settlements WHERE id = :id AND merchant_id = :merchantId AND status = 'completed'")
                .bind("id", id).bind("merchantId", merchantId)
                .map(SettlementReadModel::toSettlement)
                .one();
    }

    @Override
    public Flux<SettlementV1> list(String merchantId, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT s.* FROM settlements s WHERE s.merchant_id = :merchantId AND s.status = 'completed'");
        if (page.startingAfter() != null) {
            sql.append(" AND (s.created_at, s.id) < (SELECT c.created_at, c.id FROM settlements c WHERE c.id = :cursor"
                    + " AND c.merchant_id = :merchantId AND c.status = 'completed')");
        }
        sql.append(" ORDER BY s.created_at DESC, s.id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("merchantId", merchantId).bind("limit", page.rowsToFetch());
        if (page.startingAfter() != null) {
            query = query.bind("cursor", page.startingAfter());
        }
        return query.map(SettlementReadModel::toSettlement).all();
    }

    @Override
    public Flux<SettlementLine> lines(String id) {
        // A page at a time, the next one read once the subscriber took the last: memory holds one page whatever the file's size.
        return Mono.just(List.<SettlementLine>of())
                .expand(previous -> previous.size() < pageSize && !previous.isEmpty() ? Mono.empty()
                        : linesAfter(id, previous.isEmpty() ? null : previous.get(previous.size() - 1).lineId())
                                .filter(page -> !page.isEmpty()))
                .concatMapIterable(page -> page, 1);
    }

    private Mono<List<SettlementLine>> linesAfter(String id, String afterLineId) {
        return database.sql("SELECT * FROM settlement_lines WHERE settlement_id = :id AND line_id > :after ORDER BY line_id LIMIT :limit")
                .bind("id", id).bind("after", afterLineId == null ? "" : afterLineId).bind("limit", pageSize)
                .map(SettlementLines::read)
                .all()
                .collectList();
    }

    private static SettlementV1 toSettlement(Readable row) {
        return new SettlementV1(row.get("id", String.class), row.get("currency", String.class), SettlementContractMapper.COMPLETED,
                row.get("payment_count", Long.class), row.get("refund_count", Long.class), row.get("gross_amount", Long.class),
                row.get("refunded_amount", Long.class), row.get("fee_amount", Long.class), row.get("net_amount", Long.class),
                R2dbcSettlementStore.instant(row, "created_at"));
    }
}
