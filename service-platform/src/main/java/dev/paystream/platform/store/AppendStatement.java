package dev.paystream.platform.store;

import dev.paystream.platform.idempotency.IdempotentRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Mono;

/**
 * The write of an event-sourced aggregate as one statement: its new events, their outbox rows, its
 * read-model row and its pending work, each a named part of one data-modifying WITH, so that all of
 * them commit together or none does, in one round trip.
 *
 * <p>When the write answers an idempotent request, the statement also records the request's effect
 * on its idempotency key (the {@code fence}), and every part writes only if that record was made:
 * the key must still be the request's own claim and carry no effect yet. A retry of a request whose
 * answer was lost therefore finds what was created (CONTRACT §5: no second effect), and a request
 * whose key was taken over after it stalled writes nothing. Without an idempotent request the fence
 * always holds.
 */
public final class AppendStatement {

    /** The condition every part's write is made under: the fence holds. */
    public static final String FENCED = "EXISTS (SELECT 1 FROM fence)";

    private final DatabaseClient database;
    private final String countedPart;
    private final Map<String, SqlPart> parts = new LinkedHashMap<>();
    private IdempotentRequest request;
    private String effect;

    /**
     * @param countedPart the part whose rows the statement counts: a write that should have made rows
     *                    there and made none was fenced off
     */
    public AppendStatement(DatabaseClient database, String countedPart) {
        this.database = database;
        this.countedPart = countedPart;
    }

    /** Records {@code effect} (the id of what the request created or changed) on the request's key; no-op for null. */
    public AppendStatement answering(IdempotentRequest request, String effect) {
        this.request = request;
        this.effect = Objects.requireNonNull(effect, "effect");
        return this;
    }

    /** Adds a part made of table rows; empty row sets are left out. */
    public AppendStatement rows(String name, TableRows rows) {
        if (!rows.isEmpty()) {
            add(name, rows.toPart(name + "_"));
        }
        return this;
    }

    /** Adds a part of its own making; its SQL must write only {@code WHERE} {@link #FENCED} holds. */
    public AppendStatement part(String name, SqlPart part) {
        if (!part.sql().contains(FENCED)) {
            throw new IllegalArgumentException("part " + name + " must write only where " + FENCED);
        }
        add(name, part);
        return this;
    }

    private void add(String name, SqlPart part) {
        if (!name.matches("[a-z_]+") || name.equals("fence") || parts.putIfAbsent(name, part) != null) {
            throw new IllegalArgumentException("part names are distinct lower-case words other than fence: " + name);
        }
    }

    /**
     * Runs the statement; emits the number of rows the counted part wrote. Fails with
     * {@link ConcurrentAppend} when a unique key refused a row (another writer appended first) and
     * with {@link IdempotencyClaimLost} when the fence did not hold.
     */
    public Mono<Long> execute() {
        if (!parts.containsKey(countedPart)) {
            return Mono.error(new IllegalStateException("nothing to append to " + countedPart));
        }
        Map<String, Parameter> bindings = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("WITH fence AS (");
        if (request == null || request.claimToken() == null) {
            sql.append("SELECT 1");
        } else {
            sql.append("""
                    UPDATE idempotency_keys SET effect = :fence_effect
                    WHERE merchant_id = :fence_merchant AND idempotency_key = :fence_key AND claim_token = :fence_token
                      AND effect IS NULL AND response_status IS NULL RETURNING 1""");
            bindings.put("fence_effect", Parameter.from(effect));
            bindings.put("fence_merchant", Parameter.from(request.merchantId()));
            bindings.put("fence_key", Parameter.from(request.key()));
            bindings.put("fence_token", Parameter.from(request.claimToken()));
        }
        sql.append(')');
        List<String> names = new ArrayList<>(parts.keySet());
        for (String name : names) {
            SqlPart part = parts.get(name);
            sql.append(", ").append(name).append(" AS (").append(part.sql()).append(" RETURNING 1)");
            part.bindings().forEach((key, value) -> {
                if (bindings.putIfAbsent(key, value) != null) {
                    throw new IllegalStateException("parameter " + key + " of part " + name + " is bound twice");
                }
            });
        }
        sql.append(" SELECT count(*) AS written FROM ").append(countedPart);
        // All at once: each bind(name, value) copies every binding made before it, which made a statement
        // of many rows (a settlement page: 12,000 values) quadratic in its number of values.
        return database.sql(sql.toString()).bindValues(bindings).map(row -> row.get("written", Long.class)).one()
                .onErrorMap(DuplicateKeyException.class, ConcurrentAppend::new)
                .flatMap(written -> written == 0
                        ? Mono.error(new IdempotencyClaimLost(request))
                        : Mono.just(written));
    }
}
