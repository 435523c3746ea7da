package dev.paystream.payment.settlement.adapter.web;

import dev.paystream.payment.settlement.domain.SettlementLine;
import java.io.StringWriter;
import java.util.List;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * The settlement file (CONTRACT §8): RFC 4180 CSV — a header row, one row per line, CRLF line ends, fields
 * quoted by Jackson's CSV writer where they must be — written a page of lines at a time.
 */
final class SettlementFile {

    /** The columns of CONTRACT §8, in its order. */
    static final List<String> COLUMNS = List.of("settlement_id", "line_type", "payment_id", "refund_id", "occurred_at", "currency",
            "gross_amount", "fee_amount", "net_amount", "payment_method", "card_brand", "card_last4", "customer_id", "invoice_id");

    private static final CsvMapper CSV = CsvMapper.builder().build();
    private static final ObjectWriter ROWS;

    static {
        CsvSchema.Builder schema = CsvSchema.builder().setLineSeparator("\r\n").setUseHeader(false);
        COLUMNS.forEach(schema::addColumn);
        ROWS = CSV.writer(schema.build());
    }

    private SettlementFile() {
    }

    /** The header row. */
    static String header() {
        return rows(List.<Object[]>of(COLUMNS.toArray()));
    }

    /** The rows of {@code lines}. */
    static String lines(List<SettlementLine> lines) {
        return rows(lines.stream().map(SettlementFile::fields).toList());
    }

    private static Object[] fields(SettlementLine line) {
        return new Object[] {line.settlementId().value(), line.type().wireName(), line.paymentId(), line.refundId(),
                line.occurredAt().toString(), line.currency(), line.grossAmount(), line.feeAmount(), line.netAmount(), line.paymentMethod(),
                line.cardBrand(), line.cardLast4(), line.customerId(), line.invoiceId()};
    }

    private static String rows(List<Object[]> rows) {
        StringWriter text = new StringWriter();
        try (SequenceWriter writer = ROWS.writeValues(text)) {
            for (Object[] row : rows) {
                writer.write(row);
            }
        }
        return text.toString();
    }
}
