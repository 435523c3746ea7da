package dev.paystream.platform.workqueue;

/**
 * An item a worker holds: {@code key} identifies it in its queue (e.g. a payment id), {@code payload}
 * is what the work needs besides, {@code attempts} counts this one too.
 */
public record WorkItem(String queue, String key, String payload, int attempts, String leaseToken) {
}
