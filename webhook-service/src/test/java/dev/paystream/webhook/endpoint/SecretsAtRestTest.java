package dev.paystream.webhook.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paystream.webhook.support.WebhookDatabases;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The startup step that seals the secrets at rest, on a database of its own (it changes the key, which
 * a running service's database must keep): rows written in plain text before sealing existed, and a
 * move from the generated key of local mode to a configured one.
 */
class SecretsAtRestTest {

    private DatabaseClient database;

    @BeforeEach
    void migratedDatabase() {
        database = WebhookDatabases.migrated("webhook_seal");
    }

    @Test
    void plainTextSecretsWrittenBeforeSealingAreSealedAtStartupAndTheirPlainColumnsEmptied() {
        insertPlain("we_old", "whsec_current", "whsec_previous", "now() + interval '1 hour'");
        insertPlain("we_expired", "whsec_only", "whsec_expired", "now() - interval '1 hour'");

        SecretSealer sealer = SecretsAtRest.prepare(database, null).block();

        Map<String, Object> old = row("we_old");
        assertThat(old.get("secret")).isNull();
        assertThat(old.get("previous_secret")).isNull();
        assertThat(sealer.open("we_old", bytes(old, "secret_sealed"))).isEqualTo("whsec_current");
        assertThat(sealer.open("we_old", bytes(old, "previous_secret_sealed"))).isEqualTo("whsec_previous");
        Map<String, Object> expired = row("we_expired");
        assertThat(sealer.open("we_expired", bytes(expired, "secret_sealed"))).isEqualTo("whsec_only");
        assertThat(expired.get("previous_secret_sealed")).as("an expired previous secret is not kept").isNull();
        assertThat(expired.get("previous_secret")).isNull();
        // A second start (or a second instance) finds the same key and nothing left to seal.
        SecretSealer again = SecretsAtRest.prepare(database, null).block();
        assertThat(again.open("we_old", bytes(row("we_old"), "secret_sealed"))).isEqualTo("whsec_current");
    }

    @Test
    void aConfiguredKeySealsAgainWhatTheGeneratedKeySealedAndAKeyThatOpensNothingIsRefused() {
        insertPlain("we_a", "whsec_a", null, "NULL");
        SecretsAtRest.prepare(database, null).block();
        String configured = Base64.getEncoder().encodeToString(SecretSealer.newKey());

        SecretSealer sealer = SecretsAtRest.prepare(database, configured).block();

        assertThat(sealer.open("we_a", bytes(row("we_a"), "secret_sealed"))).isEqualTo("whsec_a");
        assertThat(database.sql("SELECT count(*) AS keys FROM platform_secrets WHERE name = 'webhook_secret_key'").map(r -> r.get("keys", Long.class)).one().block())
                .as("the generated key is gone once nothing needs it").isZero();
        String wrong = Base64.getEncoder().encodeToString(SecretSealer.newKey());
        assertThatThrownBy(() -> SecretsAtRest.prepare(database, wrong).block())
                .hasMessageContaining("PAYSTREAM_WEBHOOK_SECRET_KEY is not the key they were sealed by");
        assertThatThrownBy(() -> SecretsAtRest.prepare(database, null).block())
                .as("nor does a newly generated key open them").hasMessageContaining("None of the 1 sealed");
    }

    private void insertPlain(String id, String secret, String previous, String previousExpiresAt) {
        database.sql("INSERT INTO webhook_endpoints (id, merchant_id, url, event_types, secret, previous_secret, previous_secret_expires_at, "
                        + "created_at, updated_at) VALUES (:id, 'mer_1', 'https://example.com/h', ARRAY['*'], :secret, :previous, "
                        + previousExpiresAt + ", now(), now())")
                .bind("id", id).bind("secret", secret)
                .bind("previous", previous == null ? org.springframework.r2dbc.core.Parameter.empty(String.class)
                        : org.springframework.r2dbc.core.Parameter.from(previous))
                .then().block();
    }

    private Map<String, Object> row(String id) {
        return database.sql("SELECT secret, previous_secret, secret_sealed, previous_secret_sealed FROM webhook_endpoints WHERE id = :id")
                .bind("id", id).fetch().one().block();
    }

    private static byte[] bytes(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value instanceof java.nio.ByteBuffer buffer ? toArray(buffer) : (byte[]) value;
    }

    private static byte[] toArray(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
