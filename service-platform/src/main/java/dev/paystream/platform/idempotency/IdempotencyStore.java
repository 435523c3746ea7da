package dev.paystream.platform.idempotency;

import dev.paystream.platform.groupcommit.GroupCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The {@code idempotency_keys} table. Every decision about a key is a single statement, so it holds
 * across instances. Claims and completions of concurrent requests are grouped ({@link GroupCommit}):
 * one statement, and one commit, for all the keys that arrive while the previous one runs.
 */
final class IdempotencyStore {

    /** Keys per grouped statement; a larger backlog goes in several. */
    private static final int BATCH_SIZE_MAX = 64;

    private static final String CLAIM = """
            INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_fingerprint, claim_token)
            SELECT merchant_id, idempotency_key, request_fingerprint, claim_token
            FROM unnest(CAST(:merchantIds AS TEXT[]), CAST(:keys AS TEXT[]), CAST(:fingerprints AS TEXT[]), CAST(:tokens AS TEXT[]))
                 AS claim (merchant_id, idempotency_key, request_fingerprint, claim_token)
            ON CONFLICT (merchant_id, idempotency_key) DO UPDATE
                SET request_fingerprint = EXCLUDED.request_fingerprint, claim_token = EXCLUDED.claim_token, effect = NULL,
                    response_status = NULL, response_type = NULL, response_body = NULL, created_at = now(), completed_at = NULL
                WHERE idempotency_keys.created_at < now() - make_interval(secs => :retentionSeconds)
                   OR (idempotency_keys.response_status IS NULL AND idempotency_keys.effect IS NULL
                       AND idempotency_keys.request_fingerprint = EXCLUDED.request_fingerprint
                       AND idempotency_keys.created_at < now() - make_interval(secs => :inProgressSeconds))
            RETURNING merchant_id, idempotency_key""";

    /**
     * The completion is an upsert on the key's unique index rather than an UPDATE joined to the
     * batch: its plan cannot turn into a scan of the whole table, whatever the statistics say (an
     * UPDATE ... FROM unnest(...) did, as a cached generic plan on a table never analyzed). The row
     * always exists (its request claimed it), so it is always the update that runs. It keeps the
     * first answer: a key taken over by another claim, or answered already (by the request itself or
     * by a repeat that recovered its effect), is left as it is.
     */
    private static final String COMPLETE = """
            INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_fingerprint, claim_token, response_status,
                                          response_type, response_body, completed_at)
            SELECT merchant_id, idempotency_key, request_fingerprint, claim_token, status, type, decode(body, 'base64'), now()
            FROM unnest(CAST(:merchantIds AS TEXT[]), CAST(:keys AS TEXT[]), CAST(:fingerprints AS TEXT[]), CAST(:tokens AS TEXT[]),
                        CAST(:statuses AS INTEGER[]), CAST(:types AS TEXT[]), CAST(:bodies AS TEXT[]))
                 AS done (merchant_id, idempotency_key, request_fingerprint, claim_token, status, type, body)
            ON CONFLICT (merchant_id, idempotency_key) DO UPDATE
                SET response_status = EXCLUDED.response_status, response_type = EXCLUDED.response_type,
                    response_body = EXCLUDED.response_body, completed_at = EXCLUDED.completed_at
                WHERE idempotency_keys.claim_token = EXCLUDED.claim_token AND idempotency_keys.response_status IS NULL""";

    private final DatabaseClient database;
    private final Duration retention;
    private final Duration inProgressTimeout;
    private final GroupCommit<Claim, Boolean> claims;
    private final GroupCommit<Completion, Boolean> completions;

    /**
     * @param retention         how long a key is kept; an older record is taken over by a new claim
     * @param inProgressTimeout how long a request may stay in progress before a repeat takes its key over (its instance died)
     */
    IdempotencyStore(DatabaseClient database, Duration retention, Duration inProgressTimeout) {
        this.database = database;
        this.retention = retention;
        this.inProgressTimeout = inProgressTimeout;
        this.claims = new GroupCommit<>(this::claimAll, BATCH_SIZE_MAX, 1);
        this.completions = new GroupCommit<>(this::completeAll, BATCH_SIZE_MAX, 1);
    }

    /** A merchant's idempotency key: what the table's primary key identifies. */
    private record Key(String merchantId, String key) {
    }

    private record Claim(Key key, String fingerprint, String token) {
    }

    private record Completion(String merchantId, String key, String fingerprint, String token, int status, String contentType,
                              byte[] body) {
    }

    /**
     * Claims the key for a new request under {@code token}; emits false when the key is already known.
     * A record past its retention, or one whose request has been in progress longer than the
     * in-progress timeout without recording an effect (its instance died or stalled), is taken over in
     * the same statement; the stalled request can then no longer write (its token is not the key's).
     */
    Mono<Boolean> claim(String merchantId, String key, String fingerprint, String token) {
        return claims.submit(new Claim(new Key(merchantId, key), fingerprint, token));
    }

    /**
     * One statement for the batch. ON CONFLICT DO UPDATE may not touch a row twice in one statement,
     * so a key that occurs again in the batch (identical requests racing) is not sent: its first
     * occurrence claims or leaves the key in this statement, and a repeat could only find it taken
     * (a key claimed now is neither expired nor stale), so the repeat is answered false.
     */
    private Mono<List<Boolean>> claimAll(List<Claim> batch) {
        Map<Key, Claim> firstOfEachKey = new LinkedHashMap<>();
        for (Claim claim : batch) {
            firstOfEachKey.putIfAbsent(claim.key(), claim);
        }
        return claimStatement(firstOfEachKey.values()).map(claimed -> {
            Set<Key> answered = new HashSet<>();
            return batch.stream().map(claim -> answered.add(claim.key()) && claimed.contains(claim.key())).toList();
        });
    }

    /** Emits the keys that this statement claimed. */
    private Mono<Set<Key>> claimStatement(Collection<Claim> batch) {
        return database.sql(CLAIM)
                .bind("merchantIds", batch.stream().map(claim -> claim.key().merchantId()).toArray(String[]::new))
                .bind("keys", batch.stream().map(claim -> claim.key().key()).toArray(String[]::new))
                .bind("fingerprints", batch.stream().map(Claim::fingerprint).toArray(String[]::new))
                .bind("tokens", batch.stream().map(Claim::token).toArray(String[]::new))
                .bind("retentionSeconds", (double) retention.toSeconds())
                .bind("inProgressSeconds", (double) inProgressTimeout.toSeconds())
                .map(row -> new Key(row.get("merchant_id", String.class), row.get("idempotency_key", String.class)))
                .all()
                .collect(Collectors.toSet());
    }

    Mono<IdempotencyRecord> find(String merchantId, String key) {
        return database.sql("""
                        SELECT request_fingerprint, claim_token, effect, response_status, response_type, response_body
                        FROM idempotency_keys WHERE merchant_id = :merchantId AND idempotency_key = :key""")
                .bind("merchantId", merchantId)
                .bind("key", key)
                .map(row -> new IdempotencyRecord(row.get("request_fingerprint", String.class), row.get("claim_token", String.class),
                        row.get("effect", String.class), row.get("response_status", Integer.class),
                        row.get("response_type", String.class), bytes(row.get("response_body"))))
                .one();
    }

    /** Keeps the response of the request that claimed the key under {@code token}; emits once it is committed. */
    Mono<Void> complete(String merchantId, String key, String fingerprint, String token, int status, String contentType, byte[] body) {
        return completions.submit(new Completion(merchantId, key, fingerprint, token, status, contentType, body)).then();
    }

    private Mono<List<Boolean>> completeAll(List<Completion> batch) {
        Base64.Encoder base64 = Base64.getEncoder();
        return database.sql(COMPLETE)
                .bind("merchantIds", batch.stream().map(Completion::merchantId).toArray(String[]::new))
                .bind("keys", batch.stream().map(Completion::key).toArray(String[]::new))
                .bind("fingerprints", batch.stream().map(Completion::fingerprint).toArray(String[]::new))
                .bind("tokens", batch.stream().map(Completion::token).toArray(String[]::new))
                .bind("statuses", batch.stream().map(Completion::status).toArray(Integer[]::new))
                .bind("types", batch.stream().map(Completion::contentType).toArray(String[]::new))
                .bind("bodies", batch.stream().map(completion -> base64.encodeToString(completion.body())).toArray(String[]::new))
                .fetch().rowsUpdated()
                .map(updated -> batch.stream().map(completion -> Boolean.TRUE).toList());
    }

    /**
     * Forgets a key whose request ended without an answer to keep, so that the client may use it
     * again — unless the request recorded an effect: then the outcome is known (it committed) and a
     * retry must find it, whatever the request's own answer was. A write still in flight either
     * recorded its effect first (this statement waits for its row lock, then keeps the key) or finds
     * the key gone and writes nothing.
     */
    Mono<Void> release(String merchantId, String key, String token) {
        return database.sql("""
                        DELETE FROM idempotency_keys WHERE merchant_id = :merchantId AND idempotency_key = :key
                        AND claim_token = :token AND response_status IS NULL AND effect IS NULL""")
                .bind("merchantId", merchantId)
                .bind("key", key)
                .bind("token", token)
                .then();
    }

    Mono<Long> deleteOlderThan(Instant cutoff) {
        return database.sql("DELETE FROM idempotency_keys WHERE created_at < :cutoff")
                .bind("cutoff", cutoff)
                .fetch().rowsUpdated();
    }

    private static byte[] bytes(Object column) {
        if (column == null) {
            return null;
        }
        if (column instanceof java.nio.ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return (byte[]) column;
    }
}
