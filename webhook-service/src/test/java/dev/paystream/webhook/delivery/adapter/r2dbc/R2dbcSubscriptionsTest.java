package dev.paystream.webhook.delivery.adapter.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.webhook.delivery.domain.SubscribedTypes;
import dev.paystream.webhook.support.WebhookDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What the live endpoints of all merchants subscribe to together, as the fan-out asks for each poll to
 * skip the types nobody wants: in a database of its own, so that no other test's endpoints subscribe to
 * everything. Every endpoint change committed before a call is in its answer, from the same view
 * instance, without anything telling the view.
 */
class R2dbcSubscriptionsTest {

    private DatabaseClient database;
    private R2dbcSubscriptions subscriptions;

    @BeforeEach
    void migratedDatabase() {
        database = WebhookDatabases.migrated("webhook_subs");
        subscriptions = new R2dbcSubscriptions(database, 1000);
    }

    @Test
    void theTypesOfAnyMerchantFollowEveryEndpointChangeCommittedBeforeTheCall() {
        assertThat(anyMerchant().isEmpty()).isTrue();

        insertEndpoint("we_refunds", "mer_a", "payment.refunded");
        SubscribedTypes refundsOnly = anyMerchant();
        assertThat(refundsOnly.includes("payment.refunded")).isTrue();
        assertThat(refundsOnly.includes("payment.captured")).isFalse();

        insertEndpoint("we_invoices", "mer_b", "invoice.*");
        SubscribedTypes withInvoices = anyMerchant();
        assertThat(withInvoices.includes("invoice.paid")).isTrue();
        assertThat(withInvoices.includes("payment.refunded")).isTrue();
        assertThat(withInvoices.includesEveryType()).isFalse();

        database.sql("UPDATE webhook_endpoints SET disabled = true WHERE id = 'we_refunds'").fetch().rowsUpdated().block();
        database.sql("UPDATE webhook_endpoints SET deleted_at = now() WHERE id = 'we_invoices'").fetch().rowsUpdated().block();
        assertThat(anyMerchant().isEmpty()).isTrue();

        insertEndpoint("we_all", "mer_c", "*");
        assertThat(anyMerchant().includesEveryType()).isTrue();
    }

    @Test
    void anUnchangedViewIsAnsweredFromMemoryUntilTheVersionMoves() {
        insertEndpoint("we_captures", "mer_a", "payment.captured");
        SubscribedTypes first = anyMerchant();

        // A row changed behind the triggers' back (never done outside this test) is not seen: the version decides.
        database.sql("ALTER TABLE webhook_endpoints DISABLE TRIGGER USER").fetch().rowsUpdated().block();
        database.sql("UPDATE webhook_endpoints SET event_types = ARRAY['payout.paid']").fetch().rowsUpdated().block();
        database.sql("ALTER TABLE webhook_endpoints ENABLE TRIGGER USER").fetch().rowsUpdated().block();
        assertThat(anyMerchant()).isSameAs(first);

        database.sql("UPDATE webhook_subscriptions_version SET version = version + 1").fetch().rowsUpdated().block();
        assertThat(anyMerchant().includes("payout.paid")).isTrue();
        assertThat(anyMerchant().includes("payment.captured")).isFalse();
    }

    private SubscribedTypes anyMerchant() {
        return subscriptions.ofAnyMerchant().block();
    }

    private void insertEndpoint(String id, String merchantId, String eventType) {
        database.sql("INSERT INTO webhook_endpoints (id, merchant_id, url, event_types, secret_sealed, created_at, updated_at) "
                        + "VALUES (:id, :merchant, 'https://example.com/hooks', ARRAY[:type], :sealed, now(), now())")
                .bind("id", id).bind("merchant", merchantId).bind("type", eventType).bind("sealed", java.nio.ByteBuffer.wrap(new byte[] {1}))
                .fetch().rowsUpdated().block();
    }
}
