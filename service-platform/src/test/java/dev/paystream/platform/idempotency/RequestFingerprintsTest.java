package dev.paystream.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RequestFingerprintsTest {

    private static final byte[] SECRET = "a-secret-of-this-deployment-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private final RequestFingerprints fingerprints = new RequestFingerprints(SECRET, JsonMapper.builder().build());

    @Test
    void theCardNumberAndCvcAreNotPartOfTheFingerprint() {
        String first = fingerprints.of("POST /v1/payments?", body("4242424242424242", "123", 5000));
        String second = fingerprints.of("POST /v1/payments?", body("4000056655665556", "987", 5000));

        assertThat(first).isEqualTo(second).hasSize(64);
    }

    @Test
    void everythingElseOfTheRequestIs() {
        String payment = fingerprints.of("POST /v1/payments?", body("4242424242424242", "123", 5000));

        assertThat(fingerprints.of("POST /v1/payments?", body("4242424242424242", "123", 5001))).isNotEqualTo(payment);
        assertThat(fingerprints.of("POST /v1/payouts?", body("4242424242424242", "123", 5000))).isNotEqualTo(payment);
    }

    @Test
    void theFingerprintDependsOnTheSecret() {
        RequestFingerprints elsewhere = new RequestFingerprints("another-deployment-with-its-own-secret".getBytes(StandardCharsets.UTF_8),
                JsonMapper.builder().build());

        assertThat(elsewhere.of("POST /v1/payments?", body("4242424242424242", "123", 5000)))
                .isNotEqualTo(fingerprints.of("POST /v1/payments?", body("4242424242424242", "123", 5000)));
    }

    @Test
    void aBodyThatIsNotJsonIsFingerprintedAsItIs() {
        assertThat(fingerprints.of("POST /v1/payments?", "{\"amount\": 50".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(fingerprints.of("POST /v1/payments?", "{\"amount\": 51".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new RequestFingerprints("short".getBytes(StandardCharsets.UTF_8), JsonMapper.builder().build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] body(String number, String cvc, long amount) {
        return ("{\"amount\":" + amount + ",\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"" + number
                + "\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"" + cvc + "\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
