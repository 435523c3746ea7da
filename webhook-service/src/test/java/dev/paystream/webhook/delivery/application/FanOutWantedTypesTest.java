package dev.paystream.webhook.delivery.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.platform.consumer.WantedTypes;
import dev.paystream.webhook.delivery.domain.SubscribedTypes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Which types the fan-out wants for a poll: those some live endpoint of any merchant subscribes to, as
 * the subscription view answers at the time the poll is handled, never an answer kept from before.
 */
class FanOutWantedTypesTest {

    /** A view whose answer the test changes between polls, as endpoints are created and deleted. */
    private static final class ChangingSubscriptions implements Subscriptions {

        SubscribedTypes anyMerchant = SubscribedTypes.none();
        int asked;

        @Override
        public Mono<Map<String, SubscribedTypes>> of(Collection<String> merchantIds) {
            return Mono.just(Map.of());
        }

        @Override
        public Mono<SubscribedTypes> ofAnyMerchant() {
            return Mono.fromSupplier(() -> {
                asked++;
                return anyMerchant;
            });
        }
    }

    private final ChangingSubscriptions subscriptions = new ChangingSubscriptions();
    private final FanOut fanOut = new FanOut(new WebhookBodies(), subscriptions, null, () -> { });

    @Test
    void withoutAnyEndpointNoTypeIsWanted() {
        WantedTypes wanted = fanOut.wantedTypes().block();

        assertThat(wanted.includes("payment.authorized")).isFalse();
        assertThat(wanted.includes("invoice.paid")).isFalse();
    }

    @Test
    void anEndpointCreatedBetweenTwoPollsCountsForTheSecond() {
        WantedTypes before = fanOut.wantedTypes().block();
        subscriptions.anyMerchant = SubscribedTypes.of(List.of("payment.*", "invoice.paid"));

        WantedTypes after = fanOut.wantedTypes().block();

        assertThat(before.includes("payment.captured")).isFalse();
        assertThat(after.includes("payment.captured")).isTrue();
        assertThat(after.includes("invoice.paid")).isTrue();
        assertThat(after.includes("invoice.voided")).isFalse();
        assertThat(subscriptions.asked).isEqualTo(2);
    }

    @Test
    void anEndpointSubscribedToEveryTypeMakesEveryTypeWantedWithoutLookingAtHeaders() {
        subscriptions.anyMerchant = SubscribedTypes.of(List.of("payment.refunded", "*"));

        assertThat(fanOut.wantedTypes().block()).isSameAs(WantedTypes.ALL);
    }
}
