package dev.paystream.webhook.delivery.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our signatures, checked by the official Standard Webhooks library (and against its own signing). */
class SignaturesTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void aSignatureIsTheOneTheStandardWebhooksLibraryMakesAndVerifies() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"id\":\"evt_1\",\"type\":\"payment.captured\"}";

        String ours = Signatures.sign(SECRET, "evt_1", now, body);

        assertThat(ours).isEqualTo(new Webhook(SECRET).sign("evt_1", now, body));
        new Webhook(SECRET).verify(body, Map.of("webhook-id", List.of("evt_1"), "webhook-timestamp", List.of(Long.toString(now)),
                "webhook-signature", List.of(Signatures.header(List.of("whsec_" + "A".repeat(44), SECRET), "evt_1", now, body))));
    }
}
