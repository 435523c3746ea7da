package dev.paystream.webhook.delivery.application;

import dev.paystream.webhook.delivery.domain.SubscribedTypes;
import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * What the merchants' live endpoints subscribe to, as the fan-out asks before it does anything else
 * with an event: most events go to no endpoint, and those it only reads.
 */
public interface Subscriptions {

    /**
     * For each of {@code merchantIds}, what its live endpoints subscribe to (none for a merchant without
     * any). It reflects at least every endpoint change committed before the call: a view that answered
     * from an older state could drop a delivery to an endpoint created before its event was consumed.
     * It may reflect changes made during the call too, which only costs the fan-out a statement that
     * finds no endpoint.
     */
    Mono<Map<String, SubscribedTypes>> of(Collection<String> merchantIds);

    /**
     * What the live endpoints of all merchants together subscribe to, on the same terms as {@link #of}:
     * it reflects every endpoint change committed before the call. The fan-out asks it for each poll, so
     * that events of a type no endpoint of any merchant subscribes to are skipped unread.
     */
    Mono<SubscribedTypes> ofAnyMerchant();
}
