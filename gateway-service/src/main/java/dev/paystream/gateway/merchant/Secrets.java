package dev.paystream.gateway.merchant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random identifiers and API keys, and the one-way hash under which keys are stored. A key carries
 * 43 base62 characters from {@link SecureRandom}, about 256 bits: far beyond guessing, which is
 * why a plain SHA-256 (rather than a slow password hash) is enough to store it.
 */
public final class Secrets {

    public static final String API_KEY_PREFIX = "sk_test_";
    public static final String ADMIN_KEY_PREFIX = "sk_admin_";

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int KEY_CHARACTERS = 43;
    private static final int ID_CHARACTERS = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String newApiKey() {
        return API_KEY_PREFIX + base62(KEY_CHARACTERS);
    }

    public static String newAdminKey() {
        return ADMIN_KEY_PREFIX + base62(KEY_CHARACTERS);
    }

    /** An opaque id with its type prefix, e.g. {@code mer_} or {@code key_}. */
    public static String newId(String prefix) {
        return prefix + base62(ID_CHARACTERS);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", impossible);
        }
    }

    private static String base62(int length) {
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(text);
    }
}
