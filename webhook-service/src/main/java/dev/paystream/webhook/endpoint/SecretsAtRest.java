package dev.paystream.webhook.endpoint;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Makes the endpoints' signing secrets sealed at rest before anything reads them, at startup (see
 * V4__sealed_endpoint_secrets.sql): chooses the key, seals the secrets still in plain text (rows written
 * before sealing existed) and empties their plain columns, and checks that the sealed rows open.
 *
 * <p>The key is {@code PAYSTREAM_WEBHOOK_SECRET_KEY} when set. Otherwise it is a key generated once and
 * kept in this service's own database ({@code platform_secrets}, like the idempotency fingerprint key), so that local mode works with no
 * configuration: that protects a dump of the endpoints table alone, not a copy of the whole database,
 * which is why production sets the variable. When the variable is set and a generated key is still
 * stored, the secrets sealed by the stored key are sealed again by the configured one and the stored
 * key is deleted.
 */
public final class SecretsAtRest {

    private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);
    /** The generated key's row in {@code platform_secrets}. */
    static final String KEY_NAME = "webhook_secret_key";

    private SecretsAtRest() {
    }

    /** The sealer of this instance, once every secret in the database is sealed by its key. */
    public static Mono<SecretSealer> prepare(DatabaseClient database, String configuredKey) {
        boolean configured = configuredKey != null && !configuredKey.isBlank();
        Mono<byte[]> storedKey = database.sql("SELECT value FROM platform_secrets WHERE name = :name").bind("name", KEY_NAME)
                .map(row -> row.get("value", byte[].class)).one();
        if (!configured) {
            log.warn("PAYSTREAM_WEBHOOK_SECRET_KEY is not set: webhook signing secrets are sealed by a key kept in the service's own database "
                    + "(fine for local mode; production should set the variable)");
            return database.sql("INSERT INTO platform_secrets (name, value) VALUES (:name, :key) ON CONFLICT (name) DO NOTHING")
                    .bind("name", KEY_NAME).bind("key", SecretSealer.newKey()).fetch().rowsUpdated()
                    // Several instances starting at once: whichever inserted first, all use the key that is there.
                    .then(storedKey)
                    .flatMap(key -> sealAndCheck(database, new SecretSealer(key), null, false));
        }
        SecretSealer sealer = new SecretSealer(SecretSealer.parseKey(configuredKey));
        return storedKey.map(key -> java.util.Optional.of(new SecretSealer(key))).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(previous -> sealAndCheck(database, sealer, previous.orElse(null), true)
                        .flatMap(ready -> previous.isEmpty() ? Mono.just(ready)
                                : database.sql("DELETE FROM platform_secrets WHERE name = :name").bind("name", KEY_NAME).fetch().rowsUpdated().thenReturn(ready)));
    }

    private record Row(String id, String secret, String previousSecret, byte[] secretSealed, byte[] previousSecretSealed) {
    }

    /**
     * Seals what is plain, seals again by {@code sealer} what {@code previousKey} (if any) sealed, and
     * fails when sealed rows exist and none opens: the key is not the one they were sealed by.
     */
    private static Mono<SecretSealer> sealAndCheck(DatabaseClient database, SecretSealer sealer, SecretSealer previousKey, boolean configured) {
        return database.sql("""
                        SELECT id, secret, CASE WHEN previous_secret_expires_at > now() THEN previous_secret END AS previous_secret,
                               secret_sealed, CASE WHEN previous_secret_expires_at > now() THEN previous_secret_sealed END AS previous_secret_sealed
                        FROM webhook_endpoints""")
                .map(row -> new Row(row.get("id", String.class), row.get("secret", String.class), row.get("previous_secret", String.class),
                        row.get("secret_sealed", byte[].class), row.get("previous_secret_sealed", byte[].class)))
                .all()
                .collectList()
                .flatMap(rows -> {
                    long sealedRows = rows.stream().filter(row -> row.secretSealed() != null).count();
                    List<Row> notOpening = rows.stream().filter(row -> row.secretSealed() != null && !opens(sealer, row)).toList();
                    Flux<Long> resealed = Flux.fromIterable(notOpening)
                            .filter(row -> previousKey != null && opens(previousKey, row))
                            .concatMap(row -> write(database, row.id(), sealer, previousKey.open(row.id(), row.secretSealed()),
                                    row.previousSecretSealed() == null ? null : previousKey.open(row.id(), row.previousSecretSealed()),
                                    "secret_sealed = :current", Parameter.from(row.secretSealed())));
                    Flux<Long> sealed = Flux.fromIterable(rows)
                            .filter(row -> row.secret() != null)
                            .concatMap(row -> write(database, row.id(), sealer, row.secret(), row.previousSecret(), "secret = :current",
                                    Parameter.from(row.secret())));
                    return resealed.concatWith(sealed).reduce(0L, Long::sum).flatMap(written -> {
                        long stillNotOpening = notOpening.stream().filter(row -> previousKey == null || !opens(previousKey, row)).count();
                        if (sealedRows > 0 && stillNotOpening == sealedRows) {
                            return Mono.error(new IllegalStateException("None of the " + sealedRows + " sealed webhook signing secrets opens with "
                                    + "the key in use: " + (configured ? "PAYSTREAM_WEBHOOK_SECRET_KEY is not the key they were sealed by"
                                    : "PAYSTREAM_WEBHOOK_SECRET_KEY is not set and the key kept in the database is not the one they were sealed by "
                                    + "(set the variable to the key that sealed them)")));
                        }
                        if (stillNotOpening > 0) {
                            log.error("{} webhook endpoint(s) have a sealed signing secret that does not open (altered, or copied from another row): "
                                    + "their deliveries cannot be signed until their secret is rotated", stillNotOpening);
                        }
                        if (written > 0) {
                            log.info("Sealed the signing secrets of {} webhook endpoint(s)", written);
                        }
                        return Mono.just(sealer);
                    });
                });
    }

    private static boolean opens(SecretSealer sealer, Row row) {
        try {
            sealer.open(row.id(), row.secretSealed());
            return true;
        } catch (SecretSealer.NotOpened notOpened) {
            return false;
        }
    }

    /** Writes the row's secrets sealed and its plain columns empty, while {@code unchanged} still holds (another instance may have done it). */
    private static Mono<Long> write(DatabaseClient database, String id, SecretSealer sealer, String secret, String previous, String unchanged,
                                    Parameter current) {
        return database.sql("UPDATE webhook_endpoints SET secret_sealed = :sealed, previous_secret_sealed = :previousSealed, secret = NULL, "
                        + "previous_secret = NULL WHERE id = :id AND " + unchanged)
                .bind("sealed", sealer.seal(id, secret))
                .bind("previousSealed", previous == null ? Parameter.empty(byte[].class) : Parameter.from(sealer.seal(id, previous)))
                .bind("id", id)
                .bind("current", current)
                .fetch().rowsUpdated();
    }

}
