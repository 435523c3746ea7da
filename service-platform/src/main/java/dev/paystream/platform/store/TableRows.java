package dev.paystream.platform.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.Parameter;

/**
 * Rows to insert into one table as a part of an {@link AppendStatement}:
 * {@code INSERT INTO t (columns) SELECT * FROM (VALUES ...) WHERE <fence> [ON CONFLICT ...]}.
 * The parameter names are made here from a prefix the statement hands out, so two parts never share
 * a name by accident.
 */
public final class TableRows {

    private final String table;
    private final List<String> columns;
    private final List<List<Parameter>> rows = new ArrayList<>();
    private String onConflict = "";

    private TableRows(String table, List<String> columns) {
        this.table = table;
        this.columns = List.copyOf(columns);
    }

    public static TableRows into(String table, String... columns) {
        return new TableRows(table, List.of(columns));
    }

    /** Adds a row; {@code values} are in column order, each a {@link Parameter} (typed, possibly empty) or a non-null value. */
    public TableRows row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(table + " has " + columns.size() + " columns, the row " + values.length + " values");
        }
        List<Parameter> row = new ArrayList<>(values.length);
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException("a null value needs its type: pass Parameter.empty(type)");
            }
            row.add(value instanceof Parameter parameter ? parameter : Parameter.from(value));
        }
        rows.add(row);
        return this;
    }

    /** The ON CONFLICT clause, e.g. an upsert's {@code ON CONFLICT (id) DO UPDATE SET ...}. */
    public TableRows onConflict(String clause) {
        this.onConflict = " " + clause;
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    SqlPart toPart(String prefix) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(String.join(", ", columns))
                .append(") SELECT * FROM (VALUES ");
        Map<String, Parameter> bindings = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "(" : ", (");
            List<Parameter> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                String name = prefix + r + "_" + c;
                sql.append(c == 0 ? ":" : ", :").append(name);
                bindings.put(name, row.get(c));
            }
            sql.append(')');
        }
        sql.append(") AS row_values (").append(String.join(", ", columns)).append(") WHERE ").append(AppendStatement.FENCED)
                .append(onConflict);
        return new SqlPart(sql.toString(), bindings);
    }
}
