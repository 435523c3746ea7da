package dev.paystream.webhook.endpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals endpoint signing secrets for the database with AES-256-GCM, so that a dump, a backup or a
 * read-only look at {@code webhook_endpoints} does not give away what signs the merchants' webhooks.
 * A sealed value is {@code 0x01 | 96-bit random nonce | ciphertext | 128-bit tag}; the endpoint's id is
 * its associated data, so a sealed value copied into another endpoint's row does not open there (the
 * tag covers the id), and one that opens is the one sealed for that endpoint.
 */
public final class SecretSealer {

    public static final int KEY_BYTES = 32;
    private static final byte FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretSealer(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** The key of {@code PAYSTREAM_WEBHOOK_SECRET_KEY}: base64 of 32 bytes (say, {@code openssl rand -base64 32}). */
    public static byte[] parseKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("PAYSTREAM_WEBHOOK_SECRET_KEY is not base64 (make one with: openssl rand -base64 32)");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("PAYSTREAM_WEBHOOK_SECRET_KEY must be the base64 of " + KEY_BYTES + " bytes, not of "
                    + key.length + " (make one with: openssl rand -base64 32)");
        }
        return key;
    }

    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public byte[] seal(String endpointId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, endpointId, secret.getBytes(StandardCharsets.UTF_8), 0);
        return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
    }

    /** The secret sealed for {@code endpointId}; throws {@link NotOpened} when it was sealed for another endpoint, by another key, or altered. */
    public String open(String endpointId, byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new NotOpened(endpointId);
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
        byte[] opened = cipher(Cipher.DECRYPT_MODE, nonce, endpointId, sealed, 1 + NONCE_BYTES);
        return new String(opened, StandardCharsets.UTF_8);
    }

    private byte[] cipher(int mode, byte[] nonce, String endpointId, byte[] input, int offset) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input, offset, input.length - offset);
        } catch (AEADBadTagException notForThisEndpoint) {
            throw new NotOpened(endpointId);
        } catch (GeneralSecurityException unexpected) {
            throw new IllegalStateException("AES-GCM is not available: " + unexpected, unexpected);
        }
    }

    /** A sealed secret that does not open for its row: sealed by another key, for another endpoint, or altered. */
    public static final class NotOpened extends RuntimeException {

        public NotOpened(String endpointId) {
            super("The sealed signing secret of endpoint " + endpointId + " does not open: sealed for another endpoint, by another key, or altered");
        }
    }
}
