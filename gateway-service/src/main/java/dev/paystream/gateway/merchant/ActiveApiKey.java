package dev.paystream.gateway.merchant;

/** An unrevoked key as authentication needs it: whose it is and how fast it may go. */
public record ActiveApiKey(String id, String merchantId, byte[] keySha256, int rateLimitPerMinute) {
}
