package dev.paystream.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import reactor.netty.http.client.HttpClient;

class ServiceRoutingFilterTest {

    private final ServiceRoutingFilter filter = new ServiceRoutingFilter(HttpClient.create(), new ObjectProvider<List<HttpHeadersFilter>>() {
        @Override
        public List<HttpHeadersFilter> getObject() {
            return List.of();
        }
    }, new HttpClientProperties());

    private static Route route(String id, Object responseTimeout) {
        return Route.async().id(id).uri(URI.create("http://127.0.0.1:8082")).predicate(exchange -> true)
                .metadata(Map.of("connect-timeout", 750, ServiceRoutingFilter.RESPONSE_TIMEOUT, responseTimeout))
                .build();
    }

    @Test
    void aRouteGetsOneClientWithItsOwnTimeouts() {
        Route payment = route("payment", "2500");

        HttpClient first = filter.getHttpClient(payment, null);

        assertThat(filter.getHttpClient(payment, null)).as("made once, not per request").isSameAs(first);
        assertThat(first.configuration().responseTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(first.configuration().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isEqualTo(750);
    }

    @Test
    void aRefreshedRouteGetsAFreshClient() {
        HttpClient before = filter.getHttpClient(route("ledger", 5000), null);

        HttpClient after = filter.getHttpClient(route("ledger", 800), null);

        assertThat(after).isNotSameAs(before);
        assertThat(after.configuration().responseTimeout()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aResponseTimeoutMustBeAPositiveNumberOfMilliseconds() {
        assertThat(ServiceRoutingFilter.responseTimeout("payment", null)).isNull();
        assertThat(ServiceRoutingFilter.responseTimeout("payment", " 10000 ")).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> ServiceRoutingFilter.responseTimeout("payment", "5s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payment").hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> ServiceRoutingFilter.responseTimeout("payment", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
