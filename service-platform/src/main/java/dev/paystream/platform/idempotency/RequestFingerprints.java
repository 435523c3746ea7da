package dev.paystream.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.server.reactive.ServerHttpRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What identifies "the same request" under one idempotency key: an HMAC-SHA256, keyed with a secret
 * of the deployment, over the method, path, query and the body without {@code card.number} and
 * {@code card.cvc}. The fingerprint is stored; a plain hash of a body holding a card number could be
 * reversed by guessing the few digits that brand, last4 and expiry leave open (it took 48 s on one
 * core), so card data never enters it and the key makes the rest unguessable too. A body that is not
 * a JSON object is taken as it is (it will be refused as malformed anyway).
 */
final class RequestFingerprints {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final JsonMapper jsonMapper;

    RequestFingerprints(byte[] secret, JsonMapper jsonMapper) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the fingerprint secret must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
        this.jsonMapper = jsonMapper;
    }

    String of(ServerHttpRequest request, byte[] body) {
        String query = request.getURI().getRawQuery();
        return of(request.getMethod().name() + " " + request.getURI().getRawPath() + "?" + (query == null ? "" : query), body);
    }

    String of(String requestLine, byte[] body) {
        Mac mac = newMac();
        mac.update((requestLine + "\n").getBytes(StandardCharsets.UTF_8));
        mac.update(withoutCardData(body));
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private byte[] withoutCardData(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        try {
            JsonNode tree = jsonMapper.readTree(body);
            if (!(tree instanceof ObjectNode object)) {
                return body;
            }
            if (object.get("card") instanceof ObjectNode card) {
                card.remove("number");
                card.remove("cvc");
            }
            return jsonMapper.writeValueAsBytes(object);
        } catch (JacksonException notJson) {
            return body;
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
        }
    }
}
