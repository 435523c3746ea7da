package dev.paystream.platform.store;

import java.util.Map;
import org.springframework.r2dbc.core.Parameter;

/**
 * One data-modifying part of an {@link AppendStatement}: an INSERT, UPDATE or DELETE whose named
 * parameters are its own. Every part of an append must write nothing unless the statement's fence
 * holds ({@link AppendStatement#FENCED}), so that a write whose idempotency key was taken over by
 * another request writes nothing at all.
 *
 * @param sql      the statement, without RETURNING
 * @param bindings its parameters; a null value is bound as a typed null
 */
public record SqlPart(String sql, Map<String, Parameter> bindings) {

    public SqlPart {
        bindings = Map.copyOf(bindings);
    }

    public static SqlPart of(String sql, Map<String, Parameter> bindings) {
        return new SqlPart(sql, bindings);
    }
}
