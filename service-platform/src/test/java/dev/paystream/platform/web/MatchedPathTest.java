package dev.paystream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;

class MatchedPathTest {

    @Test
    void segmentsAreDecodedAndLoseTheirParameters() {
        assertThat(MatchedPath.of(PathContainer.parsePath("/v1;x/merchants;y=1/mer_1"))).isEqualTo("/v1/merchants/mer_1");
        assertThat(MatchedPath.of(PathContainer.parsePath("/v1/%6Derchants"))).isEqualTo("/v1/merchants");
    }

    @Test
    void anOrdinaryPathIsItself() {
        assertThat(MatchedPath.of(PathContainer.parsePath("/v1/payments/pay_1"))).isEqualTo("/v1/payments/pay_1");
        assertThat(MatchedPath.of(PathContainer.parsePath("/"))).isEqualTo("/");
    }
}
