package dev.paystream.platform.store;

import dev.paystream.platform.idempotency.IdempotentRequest;

/**
 * The append answered an idempotent request whose key is no longer its own (another request took the
 * key over after this one stalled, or the key already records an effect): nothing was written.
 */
public final class IdempotencyClaimLost extends RuntimeException {

    public IdempotencyClaimLost(IdempotentRequest request) {
        super("the idempotency key " + (request == null ? "" : request.key()) + " is no longer this request's claim; nothing was written");
    }
}
