package dev.paystream.webhook.endpoint;

import java.security.SecureRandom;
import java.util.Base64;

/** New signing secrets: {@code whsec_} and the base64 of 32 random bytes (CONTRACT §10 allows 24 to 64). */
final class WebhookSecrets {

    static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    static String newSecret() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
