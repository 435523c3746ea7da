package dev.paystream.webhook.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.webhook.support.Events;
import dev.paystream.webhook.support.Receiver;
import dev.paystream.webhook.support.WebhookServiceTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/** Signing secrets sealed at rest: what the database holds, and that deliveries are still signed as before. */
class SealedSecretsIntegrationTest extends WebhookServiceTest {

    @Autowired
    private DatabaseClient databaseClient;

    @Test
    void theDatabaseHoldsNeitherTheSecretNorItsKeyBytesOnlyTheirSealedForm() {
        String merchant = newMerchantId();
        JsonNode created = createEndpoint(merchant, "https://hooks.example.com/h", List.of("*"));
        String id = created.get("id").asString();
        String first = created.get("secret").asString();
        String second = rotate(merchant, id);

        Map<String, Object> row = databaseClient.sql("SELECT * FROM webhook_endpoints WHERE id = :id").bind("id", id).fetch().one().block();

        assertThat(row.get("secret")).isNull();
        assertThat(row.get("previous_secret")).isNull();
        StringBuilder everything = new StringBuilder();
        row.values().forEach(value -> everything.append(value instanceof ByteBuffer buffer ? latin1(buffer) : String.valueOf(value)).append('|'));
        for (String secret : List.of(first, second)) {
            assertThat(everything.toString()).doesNotContain(secret)
                    .doesNotContain(secret.substring("whsec_".length()))
                    .doesNotContain(new String(Base64.getDecoder().decode(secret.substring("whsec_".length())), StandardCharsets.ISO_8859_1));
        }
        assertThat(row.get("secret_sealed")).isNotNull();
        assertThat(row.get("previous_secret_sealed")).isNotNull();
    }

    @Test
    void sealedSecretsSignDeliveriesThatTheStandardWebhooksLibraryVerifiesAndARotationKeepsBothWorking() throws Exception {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            JsonNode endpoint = createEndpoint(merchant, receiver.url("/hooks"), List.of("*"));
            String oldSecret = endpoint.get("secret").asString();
            Events.Event before = Events.paymentCaptured(merchant);
            Events.publish(before);
            verify(oldSecret, await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(before.id()), r -> r.size() == 1).get(0));

            String newSecret = rotate(merchant, endpoint.get("id").asString());
            Events.Event after = Events.paymentCaptured(merchant);
            Events.publish(after);

            Receiver.Request request = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(after.id()), r -> r.size() == 1).get(0);
            verify(newSecret, request);
            verify(oldSecret, request);
        }
    }

    @Test
    void aSealedSecretCopiedToAnotherEndpointsRowDoesNotOpenThereAndNothingIsSentUnsigned() throws Exception {
        String merchant = newMerchantId();
        try (Receiver receiverA = Receiver.ok(); Receiver receiverB = Receiver.ok()) {
            JsonNode a = createEndpoint(merchant, receiverA.url("/a"), List.of("*"));
            String b = createEndpoint(merchant, receiverB.url("/b"), List.of("*")).get("id").asString();
            databaseClient.sql("UPDATE webhook_endpoints SET secret_sealed = (SELECT secret_sealed FROM webhook_endpoints WHERE id = :a) WHERE id = :b")
                    .bind("a", a.get("id").asString()).bind("b", b).then().block();
            Events.Event event = Events.paymentCaptured(merchant);

            Events.publish(event);

            verify(a.get("secret").asString(), await().atMost(Duration.ofSeconds(30)).until(() -> receiverA.requestsFor(event.id()), r -> r.size() == 1).get(0));
            String deliveryToB = streamOf(deliveriesOf(merchant, event.id(), data -> data.size() == 2))
                    .filter(delivery -> delivery.get("endpoint_id").asString().equals(b)).findFirst().orElseThrow().get("id").asString();
            await().atMost(Duration.ofSeconds(30)).until(() -> lastError(deliveryToB), error -> error != null && error.contains("does not open"));
            assertThat(receiverB.requests()).isEmpty();
            assertThat(get(merchant, "/v1/webhook-deliveries/" + deliveryToB).get("attempts")).isEmpty();

            // A rotation gives the endpoint a secret sealed for it: its delivery goes out, signed by it.
            String rotated = rotate(merchant, b);
            verify(rotated, await().atMost(Duration.ofSeconds(30)).until(() -> receiverB.requestsFor(event.id()), r -> r.size() == 1).get(0));
        }
    }

    private String rotate(String merchant, String endpointId) {
        return JSON.readTree(as(merchant).post().uri("/v1/webhook-endpoints/" + endpointId + "/rotate-secret").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody()).get("secret").asString();
    }

    private String lastError(String deliveryId) {
        return databaseClient.sql("SELECT last_error FROM work_items WHERE queue = 'webhook-attempts' AND item_key = :key").bind("key", deliveryId)
                .map(row -> java.util.Optional.ofNullable(row.get("last_error", String.class))).one().blockOptional()
                .flatMap(error -> error).orElse(null);
    }

    private static String latin1(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
