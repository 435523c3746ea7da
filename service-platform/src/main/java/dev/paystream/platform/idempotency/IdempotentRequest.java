package dev.paystream.platform.idempotency;

import java.util.Optional;

/**
 * The idempotency key a request runs under, as {@link IdempotencyFilter} hands it to the handler
 * (a controller parameter of this type, or {@link IdempotencyFilter#ATTRIBUTE}).
 *
 * <p>{@code claimToken} identifies this request's claim of the key: a write made for the request
 * records its effect on the key only while the claim is still its own (see
 * {@code platform.store.AppendStatement}). {@code priorEffect} is set when an earlier request with
 * this key and the same body already committed its effect but its answer was lost (a dropped
 * connection, a crash): the handler must then answer with what that effect created, and create
 * nothing.
 *
 * @param claimToken  null when the request runs to recover a prior effect: it may not write
 */
public record IdempotentRequest(String merchantId, String key, String claimToken, String priorEffect) {

    /** The id of what an earlier attempt of this request created or changed, if one committed. */
    public Optional<String> recoveredEffect() {
        return Optional.ofNullable(priorEffect);
    }
}
