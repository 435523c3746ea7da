package dev.paystream.platform.idempotency;

import java.time.Duration;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The {@code idempotency_keys} table. Every decision about a key is a single statement, so it holds across instances. */
final class IdempotencyStore {

    private final DatabaseClient database;

    IdempotencyStore(DatabaseClient database) {
        this.database = database;
    }

    /**
     * Claims the key for a new request; emits false when the key is already known. A record past its
     * retention, or one whose request has been in progress longer than {@code inProgressTimeout} (its
     * instance died), is taken over in the same statement.
     */
    Mono<Boolean> claim(String merchantId, String key, String fingerprint, Duration retention, Duration inProgressTimeout) {
        return database.sql("""
                        INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_fingerprint)
                        VALUES (:merchantId, :key, :fingerprint)
                        ON CONFLICT (merchant_id, idempotency_key) DO UPDATE
                            SET request_fingerprint = EXCLUDED.request_fingerprint, response_status = NULL,
                                response_type = NULL, response_body = NULL, created_at = now(), completed_at = NULL
                            WHERE idempotency_keys.created_at < now() - make_interval(secs => :retentionSeconds)
                               OR (idempotency_keys.response_status IS NULL
                                   AND idempotency_keys.request_fingerprint = EXCLUDED.request_fingerprint
                                   AND idempotency_keys.created_at < now() - make_interval(secs => :inProgressSeconds))""")
                .bind("merchantId", merchantId)
                .bind("key", key)
                .bind("fingerprint", fingerprint)
                .bind("retentionSeconds", (double) retention.toSeconds())
                .bind("inProgressSeconds", (double) inProgressTimeout.toSeconds())
                .fetch().rowsUpdated()
                .map(rows -> rows == 1);
    }

    Mono<IdempotencyRecord> find(String merchantId, String key) {
        return database.sql("""
                        SELECT request_fingerprint, response_status, response_type, response_body
                        FROM idempotency_keys WHERE merchant_id = :merchantId AND idempotency_key = :key""")
                .bind("merchantId", merchantId)
                .bind("key", key)
                .map(row -> new IdempotencyRecord(row.get("request_fingerprint", String.class), row.get("response_status", Integer.class),
                        row.get("response_type", String.class), bytes(row.get("response_body"))))
                .one();
    }

    Mono<Void> complete(String merchantId, String key, int status, String contentType, byte[] body) {
        var spec = database.sql("""
                        UPDATE idempotency_keys SET response_status = :status, response_type = :type, response_body = :body,
                            completed_at = now()
                        WHERE merchant_id = :merchantId AND idempotency_key = :key""")
                .bind("merchantId", merchantId)
                .bind("key", key)
                .bind("status", status)
                .bind("body", java.nio.ByteBuffer.wrap(body));
        spec = contentType == null ? spec.bindNull("type", String.class) : spec.bind("type", contentType);
        return spec.then();
    }

    /** Forgets a key whose request had no effect, so that the client may use it again. */
    Mono<Void> release(String merchantId, String key) {
        return database.sql("DELETE FROM idempotency_keys WHERE merchant_id = :merchantId AND idempotency_key = :key AND response_status IS NULL")
                .bind("merchantId", merchantId)
                .bind("key", key)
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
