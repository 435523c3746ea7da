package dev.paystream.webhook.endpoint;

import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.web.PageRequest;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Endpoints in {@code webhook_endpoints}, always scoped to their merchant. A deleted endpoint keeps its
 * row (its deliveries refer to it) with {@code deleted_at}, and is found by no query here. Signing
 * secrets are written sealed ({@link SecretSealer}), never in plain text.
 */
public final class R2dbcEndpoints {

    static final String ID_PREFIX = "we_";
    private static final String COLUMNS = "id, url, event_types, description, disabled, disabled_reason, created_at, updated_at";

    private final DatabaseClient database;
    private final TimeOrderedIds ids;
    private final int endpointsPerMerchantMax;
    private final SecretSealer sealer;

    public R2dbcEndpoints(DatabaseClient database, TimeOrderedIds ids, int endpointsPerMerchantMax, SecretSealer sealer) {
        this.database = database;
        this.ids = ids;
        this.endpointsPerMerchantMax = endpointsPerMerchantMax;
        this.sealer = sealer;
    }

    /** The new endpoint, or empty when the merchant has as many endpoints as allowed. */
    Mono<WebhookEndpoint> create(String merchantId, String url, List<String> events, String description, String secret) {
        String id = ids.next(ID_PREFIX);
        return database.sql("INSERT INTO webhook_endpoints (id, merchant_id, url, event_types, secret_sealed, description, created_at, updated_at) "
                        + "SELECT :id, :merchantId, :url, :events, :secret, :description, now(), now() "
                        + "WHERE (SELECT count(*) FROM webhook_endpoints WHERE merchant_id = :merchantId AND deleted_at IS NULL) < :max "
                        + "RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("merchantId", merchantId)
                .bind("url", url)
                .bind("events", events.toArray(String[]::new))
                .bind("secret", sealer.seal(id, secret))
                .bind("description", Parameter.fromOrEmpty(description, String.class))
                .bind("max", endpointsPerMerchantMax)
                .map(R2dbcEndpoints::endpoint)
                .one();
    }

    Mono<WebhookEndpoint> find(String merchantId, String id) {
        return database.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = :id AND merchant_id = :merchantId AND deleted_at IS NULL")
                .bind("id", id).bind("merchantId", merchantId)
                .map(R2dbcEndpoints::endpoint).one();
    }

    /** The rows of {@code page}, newest first. */
    Flux<WebhookEndpoint> list(String merchantId, PageRequest page) {
        DatabaseClient.GenericExecuteSpec statement = database.sql("SELECT " + COLUMNS + " FROM webhook_endpoints "
                        + "WHERE merchant_id = :merchantId AND deleted_at IS NULL"
                        + (page.startingAfter() == null ? "" : " AND id < :startingAfter") + " ORDER BY id DESC LIMIT :limit")
                .bind("merchantId", merchantId).bind("limit", page.rowsToFetch());
        if (page.startingAfter() != null) {
            statement = statement.bind("startingAfter", page.startingAfter());
        }
        return statement.map(R2dbcEndpoints::endpoint).all();
    }

    /** Changes what is not null; {@code disabled} false also clears why it was disabled. Empty when there is no such endpoint. */
    Mono<WebhookEndpoint> update(String merchantId, String id, String url, List<String> events, String description, Boolean disabled) {
        return database.sql("""
                        UPDATE webhook_endpoints SET
                            url = COALESCE(:url, url),
                            event_types = COALESCE(:events, event_types),
                            description = COALESCE(:description, description),
                            disabled = COALESCE(:disabled, disabled),
                            disabled_reason = CASE WHEN :disabled IS NULL THEN disabled_reason WHEN :disabled THEN
                                (CASE WHEN disabled THEN disabled_reason ELSE 'requested' END) END,
                            updated_at = now()
                        WHERE id = :id AND merchant_id = :merchantId AND deleted_at IS NULL
                        RETURNING\s""" + COLUMNS)
                .bind("url", Parameter.fromOrEmpty(url, String.class))
                .bind("events", Parameter.fromOrEmpty(events == null ? null : events.toArray(String[]::new), String[].class))
                .bind("description", Parameter.fromOrEmpty(description, String.class))
                .bind("disabled", Parameter.fromOrEmpty(disabled, Boolean.class))
                .bind("id", id).bind("merchantId", merchantId)
                .map(R2dbcEndpoints::endpoint).one();
    }

    /** Whether there was such an endpoint to delete. */
    Mono<Boolean> delete(String merchantId, String id) {
        return database.sql("UPDATE webhook_endpoints SET deleted_at = now(), updated_at = now() "
                        + "WHERE id = :id AND merchant_id = :merchantId AND deleted_at IS NULL")
                .bind("id", id).bind("merchantId", merchantId)
                .fetch().rowsUpdated().map(updated -> updated > 0);
    }

    /**
     * Makes {@code secret} the endpoint's secret; the one it replaces still signs, beside it, for
     * {@code overlap} (its sealed value moves as it is: both are sealed for this endpoint). Empty when
     * there is no such endpoint.
     */
    Mono<WebhookEndpoint> rotate(String merchantId, String id, String secret, Duration overlap) {
        return database.sql("""
                        UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed,
                            previous_secret_expires_at = now() + make_interval(secs => :overlapSeconds), secret_sealed = :secret,
                            updated_at = now()
                        WHERE id = :id AND merchant_id = :merchantId AND deleted_at IS NULL
                        RETURNING\s""" + COLUMNS)
                .bind("overlapSeconds", overlap.toMillis() / 1000.0)
                .bind("secret", sealer.seal(id, secret))
                .bind("id", id).bind("merchantId", merchantId)
                .map(R2dbcEndpoints::endpoint).one();
    }

    private static WebhookEndpoint endpoint(Readable row) {
        String[] events = row.get("event_types", String[].class);
        return new WebhookEndpoint(row.get("id", String.class), row.get("url", String.class), events == null ? List.of() : Arrays.asList(events),
                row.get("description", String.class), Boolean.TRUE.equals(row.get("disabled", Boolean.class)),
                row.get("disabled_reason", String.class), instant(row, "created_at"), instant(row, "updated_at"), null);
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
