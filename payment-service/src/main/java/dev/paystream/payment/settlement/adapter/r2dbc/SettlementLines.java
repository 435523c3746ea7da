package dev.paystream.payment.settlement.adapter.r2dbc;

import dev.paystream.payment.settlement.domain.LineType;
import dev.paystream.payment.settlement.domain.SettlementId;
import dev.paystream.payment.settlement.domain.SettlementLine;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.SqlPart;
import io.r2dbc.spi.Readable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.r2dbc.core.Parameter;

/**
 * The {@code settlement_lines} table: the lines of every batch, written with the page that settles them and
 * read back for the settlement file. A page's lines are one insert of column arrays ({@code unnest}), a
 * parameter per column rather than per value: a page of a thousand lines binds 15 arrays, not 15,000 values.
 */
final class SettlementLines {

    private SettlementLines() {
    }

    /** The part inserting {@code lines}; the primary key (settlement, line) refuses a line written twice. */
    static SqlPart insert(String part, List<SettlementLine> lines) {
        Map<String, Parameter> bindings = new HashMap<>();
        bindings.put(part + "_settlement", Parameter.from(lines.get(0).settlementId().value()));
        bindings.put(part + "_line", texts(lines, SettlementLine::lineId));
        bindings.put(part + "_type", texts(lines, line -> line.type().wireName()));
        bindings.put(part + "_payment", texts(lines, SettlementLine::paymentId));
        bindings.put(part + "_refund", texts(lines, SettlementLine::refundId));
        bindings.put(part + "_at", texts(lines, line -> line.occurredAt().toString()));
        bindings.put(part + "_currency", texts(lines, SettlementLine::currency));
        bindings.put(part + "_gross", Parameter.from(lines.stream().map(SettlementLine::grossAmount).toArray(Long[]::new)));
        bindings.put(part + "_fee", Parameter.from(lines.stream().map(SettlementLine::feeAmount).toArray(Long[]::new)));
        bindings.put(part + "_net", Parameter.from(lines.stream().map(SettlementLine::netAmount).toArray(Long[]::new)));
        bindings.put(part + "_method", texts(lines, SettlementLine::paymentMethod));
        bindings.put(part + "_brand", texts(lines, SettlementLine::cardBrand));
        bindings.put(part + "_last4", texts(lines, SettlementLine::cardLast4));
        bindings.put(part + "_customer", texts(lines, SettlementLine::customerId));
        bindings.put(part + "_invoice", texts(lines, SettlementLine::invoiceId));
        String p = ":" + part;
        return SqlPart.of("INSERT INTO settlement_lines (settlement_id, line_id, line_type, payment_id, refund_id, occurred_at, currency,"
                + " gross_amount, fee_amount, net_amount, payment_method, card_brand, card_last4, customer_id, invoice_id)"
                + " SELECT " + p + "_settlement, l.* FROM unnest(CAST(" + p + "_line AS TEXT[]), CAST(" + p + "_type AS TEXT[]), CAST(" + p
                + "_payment AS TEXT[]), CAST(" + p + "_refund AS TEXT[]), CAST(CAST(" + p + "_at AS TEXT[]) AS TIMESTAMPTZ[]), CAST(" + p
                + "_currency AS TEXT[]), CAST(" + p + "_gross AS BIGINT[]), CAST(" + p + "_fee AS BIGINT[]), CAST(" + p + "_net AS BIGINT[]), CAST("
                + p + "_method AS TEXT[]), CAST(" + p + "_brand AS TEXT[]), CAST(" + p + "_last4 AS TEXT[]), CAST(" + p + "_customer AS TEXT[]), CAST("
                + p + "_invoice AS TEXT[])) AS l WHERE " + AppendStatement.FENCED, bindings);
    }

    static SettlementLine read(Readable row) {
        return new SettlementLine(new SettlementId(row.get("settlement_id", String.class)),
                LineType.valueOf(row.get("line_type", String.class).toUpperCase(java.util.Locale.ROOT)), row.get("line_id", String.class),
                row.get("payment_id", String.class), row.get("refund_id", String.class), R2dbcSettlementStore.instant(row, "occurred_at"),
                row.get("currency", String.class), row.get("gross_amount", Long.class), row.get("fee_amount", Long.class),
                row.get("net_amount", Long.class), row.get("payment_method", String.class), row.get("card_brand", String.class),
                row.get("card_last4", String.class), row.get("customer_id", String.class), row.get("invoice_id", String.class));
    }

    private static Parameter texts(List<SettlementLine> lines, Function<SettlementLine, String> column) {
        return Parameter.from(lines.stream().map(column).toArray(String[]::new));
    }
}
