package dev.paystream.platform.store;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
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
 *
 * <p>Several rows are sent as one array per column instead
 * ({@code SELECT * FROM unnest(:c0, :c1, ...) WHERE <fence>}) when every column holds values of one type
 * that has an array ({@link ColumnType}): a settlement page of a thousand events then binds 7 arrays, not
 * 7,000 values, which the driver encodes and PostgreSQL parses and plans one by one. Rows with other
 * types (a date, a decimal) keep the {@code VALUES} form.
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
        if (rows.size() > 1) {
            SqlPart columnar = columnar(prefix);
            if (columnar != null) {
                return columnar;
            }
        }
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

    /** The rows as one array per column, or null when a column's values have no array type in common. */
    private SqlPart columnar(String prefix) {
        Map<String, Parameter> bindings = new LinkedHashMap<>();
        StringBuilder arrays = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            ColumnType type = null;
            for (List<Parameter> row : rows) {
                ColumnType each = ColumnType.of(row.get(c).getType());
                if (each == null || (type != null && type != each)) {
                    return null;
                }
                type = each;
            }
            Object[] values = type.newArray(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                Object value = rows.get(r).get(c).getValue();
                values[r] = value == null ? null : type.element(value);
            }
            String name = prefix + c;
            bindings.put(name, Parameter.from(values));
            arrays.append(c == 0 ? "" : ", ").append(type.cast(":" + name));
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT * FROM unnest(" + arrays + ") AS row_values ("
                + String.join(", ", columns) + ") WHERE " + AppendStatement.FENCED + onConflict;
        return new SqlPart(sql, bindings);
    }

    /** The types a column can be sent as an array of, and how: PostgreSQL casts the array to what the column holds on insert. */
    enum ColumnType {
        TEXT("TEXT[]") {
            @Override
            Object[] newArray(int length) {
                return new String[length];
            }
        },
        BIGINT("BIGINT[]") {
            @Override
            Object[] newArray(int length) {
                return new Long[length];
            }
        },
        INTEGER("INT[]") {
            @Override
            Object[] newArray(int length) {
                return new Integer[length];
            }
        },
        BOOLEAN("BOOLEAN[]") {
            @Override
            Object[] newArray(int length) {
                return new Boolean[length];
            }
        },
        /** Instants as their ISO-8601 text, which PostgreSQL reads back exactly (to the microsecond). */
        TIMESTAMPTZ("TIMESTAMPTZ[]") {
            @Override
            Object[] newArray(int length) {
                return new String[length];
            }

            @Override
            Object element(Object value) {
                return value.toString();
            }

            @Override
            String cast(String parameter) {
                return "CAST(CAST(" + parameter + " AS TEXT[]) AS TIMESTAMPTZ[])";
            }
        },
        /** JSON as its text; jsonb is assigned to json columns too. */
        JSONB("JSONB[]") {
            @Override
            Object[] newArray(int length) {
                return new String[length];
            }

            @Override
            Object element(Object value) {
                return ((Json) value).asString();
            }

            @Override
            String cast(String parameter) {
                return "CAST(CAST(" + parameter + " AS TEXT[]) AS JSONB[])";
            }
        };

        private final String arrayType;

        ColumnType(String arrayType) {
            this.arrayType = arrayType;
        }

        static ColumnType of(Class<?> type) {
            if (type == String.class) {
                return TEXT;
            }
            if (type == Long.class) {
                return BIGINT;
            }
            if (type == Integer.class) {
                return INTEGER;
            }
            if (type == Boolean.class) {
                return BOOLEAN;
            }
            if (type == Instant.class) {
                return TIMESTAMPTZ;
            }
            if (type != null && Json.class.isAssignableFrom(type)) {
                return JSONB;
            }
            return null;
        }

        abstract Object[] newArray(int length);

        Object element(Object value) {
            return value;
        }

        String cast(String parameter) {
            return "CAST(" + parameter + " AS " + arrayType + ")";
        }
    }
}
