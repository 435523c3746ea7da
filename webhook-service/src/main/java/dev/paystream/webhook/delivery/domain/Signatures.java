package dev.paystream.webhook.delivery.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks v1 signatures (CONTRACT §10): {@code v1,<base64 of HMAC-SHA256("id.timestamp.body")>}
 * with the key that follows {@code whsec_} in the endpoint's secret, base64-decoded. During a rotation
 * the message carries one signature per valid secret, separated by spaces, and a receiver accepts it
 * when any one matches.
 */
public final class Signatures {

    public static final String SECRET_PREFIX = "whsec_";

    private Signatures() {
    }

    /** The {@code webhook-signature} header for {@code secrets} (newest first). */
    public static String header(List<String> secrets, String messageId, long timestampSeconds, String body) {
        return secrets.stream().map(secret -> sign(secret, messageId, timestampSeconds, body)).collect(Collectors.joining(" "));
    }

    /** One signature, {@code v1,<base64>}. */
    public static String sign(String secret, String messageId, long timestampSeconds, String body) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException impossible) {
            // Every Java platform has HmacSHA256, and any key length is valid for it.
            throw new IllegalStateException("HmacSHA256 unavailable", impossible);
        }
    }
}
