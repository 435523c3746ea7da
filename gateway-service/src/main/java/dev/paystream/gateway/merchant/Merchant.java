package dev.paystream.gateway.merchant;

import java.time.Instant;

public record Merchant(String id, String name, int rateLimitPerMinute, Instant createdAt, Instant updatedAt) {
}
