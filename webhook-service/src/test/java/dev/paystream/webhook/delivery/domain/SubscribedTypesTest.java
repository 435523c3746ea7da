package dev.paystream.webhook.delivery.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubscribedTypesTest {

    @Test
    void everyTypeMatchesTheStarItsOwnNameOrItsPrefix() {
        assertThat(SubscribedTypes.of(List.of("*")).includes("invoice.paid")).isTrue();
        assertThat(SubscribedTypes.of(List.of("payment.captured")).includes("payment.captured")).isTrue();
        assertThat(SubscribedTypes.of(List.of("payment.*")).includes("payment.refunded")).isTrue();
    }

    @Test
    void noOtherTypeMatches() {
        SubscribedTypes types = SubscribedTypes.of(List.of("payment.captured", "payout.*"));
        assertThat(types.includes("payment.authorized")).isFalse();
        assertThat(types.includes("invoice.paid")).isFalse();
        assertThat(types.includes("payout")).isFalse();
        assertThat(SubscribedTypes.none().includes("payment.captured")).isFalse();
        assertThat(SubscribedTypes.of(List.of()).isEmpty()).isTrue();
    }
}
