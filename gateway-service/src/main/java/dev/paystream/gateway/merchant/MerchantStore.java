package dev.paystream.gateway.merchant;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Merchants and hashed API keys in the gateway's own database. */
public class MerchantStore {

    private static final int KEY_PREFIX_SHOWN = Secrets.API_KEY_PREFIX.length() + 4;

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    public MerchantStore(DatabaseClient database, ReactiveTransactionManager transactionManager) {
        this.database = database;
        this.transactions = TransactionalOperator.create(transactionManager);
    }

    /** Stores a new merchant together with its first key, both or neither. */
    public Mono<Void> createWithKey(Merchant merchant, String keyId, String apiKey) {
        Mono<Long> insertMerchant = database.sql("""
                        INSERT INTO merchants (id, name, rate_limit_per_minute, created_at, updated_at)
                        VALUES (:id, :name, :rateLimit, :createdAt, :updatedAt)""")
                .bind("id", merchant.id())
                .bind("name", merchant.name())
                .bind("rateLimit", merchant.rateLimitPerMinute())
                .bind("createdAt", merchant.createdAt())
                .bind("updatedAt", merchant.updatedAt())
                .fetch().rowsUpdated();
        return insertMerchant.then(insertKey(merchant.id(), keyId, apiKey, merchant.createdAt()))
                .as(transactions::transactional)
                .then();
    }

    public Mono<Merchant> find(String merchantId) {
        return database.sql("SELECT id, name, rate_limit_per_minute, created_at, updated_at FROM merchants WHERE id = :id")
                .bind("id", merchantId)
                .map(MerchantStore::merchant)
                .one();
    }

    /** Changes name and rate limit; empty when there is no such merchant. */
    public Mono<Merchant> update(String merchantId, String name, int rateLimitPerMinute, Instant now) {
        return database.sql("""
                        UPDATE merchants SET name = :name, rate_limit_per_minute = :rateLimit, updated_at = :now
                        WHERE id = :id
                        RETURNING id, name, rate_limit_per_minute, created_at, updated_at""")
                .bind("id", merchantId)
                .bind("name", name)
                .bind("rateLimit", rateLimitPerMinute)
                .bind("now", now)
                .map(MerchantStore::merchant)
                .one();
    }

    public Mono<Void> addKey(String merchantId, String keyId, String apiKey, Instant now) {
        return insertKey(merchantId, keyId, apiKey, now).then();
    }

    /** Revokes a key; emits the owning merchant's id, or nothing when the key is unknown or already revoked. */
    public Mono<String> revokeKey(String keyId, Instant now) {
        return database.sql("UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL RETURNING merchant_id")
                .bind("id", keyId)
                .bind("now", now)
                .map(row -> row.get("merchant_id", String.class))
                .one();
    }

    public Mono<ActiveApiKey> findActiveKey(byte[] keySha256) {
        return database.sql("""
                        SELECT k.id, k.merchant_id, k.key_sha256, m.rate_limit_per_minute
                        FROM api_keys k JOIN merchants m ON m.id = k.merchant_id
                        WHERE k.key_sha256 = :hash AND k.revoked_at IS NULL""")
                .bind("hash", keySha256)
                .map(row -> new ActiveApiKey(row.get("id", String.class), row.get("merchant_id", String.class),
                        row.get("key_sha256", byte[].class), row.get("rate_limit_per_minute", Integer.class)))
                .one();
    }

    private Mono<Long> insertKey(String merchantId, String keyId, String apiKey, Instant now) {
        return database.sql("""
                        INSERT INTO api_keys (id, merchant_id, key_sha256, key_prefix, created_at)
                        VALUES (:id, :merchantId, :hash, :prefix, :createdAt)""")
                .bind("id", keyId)
                .bind("merchantId", merchantId)
                .bind("hash", Secrets.sha256(apiKey))
                .bind("prefix", apiKey.substring(0, KEY_PREFIX_SHOWN))
                .bind("createdAt", now)
                .fetch().rowsUpdated();
    }

    private static Merchant merchant(Readable row) {
        return new Merchant(row.get("id", String.class), row.get("name", String.class),
                row.get("rate_limit_per_minute", Integer.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class));
    }
}
