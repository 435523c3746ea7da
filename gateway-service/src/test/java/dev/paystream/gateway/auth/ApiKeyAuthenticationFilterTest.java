package dev.paystream.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.paystream.gateway.merchant.MerchantStore;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

class ApiKeyAuthenticationFilterTest {

    private static final String ADMIN_KEY = "sk_admin_unit_test_0123456789abcdefghij";
    private static final WebFilterChain SERVED = exchange -> {
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        return exchange.getResponse().setComplete();
    };

    @Test
    void afterTooManyUnknownKeysFromOneAddressItsRequestsAre429ProblemsAndNoKeyIsLookedUp() throws Exception {
        MerchantStore store = mock(MerchantStore.class);
        when(store.findActiveKey(any())).thenReturn(Mono.empty());
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(store, AdminKey.resolve(ADMIN_KEY, Path.of("unused")), 1000, Duration.ofSeconds(5));
        ApiKeyAuthenticationFilter filter = new ApiKeyAuthenticationFilter(authenticator,
                new ProblemJsonExceptionHandler(JsonMapper.builder().build()),
                new FailedAuthentications(3, Duration.ofMinutes(1), Clock.systemUTC()));
        InetAddress guesser = InetAddress.getByName("203.0.113.5");

        for (int guess = 0; guess < 3; guess++) {
            assertThat(send(filter, guesser, "sk_test_guess" + guess).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        verify(store, times(3)).findActiveKey(any());

        MockServerHttpResponse refused = send(filter, guesser, "sk_test_guess3");
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(Long.parseLong(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
        assertThat(refused.getBodyAsString().block()).contains("\"code\":\"too_many_failed_authentications\"");
        assertThat(send(filter, guesser, ADMIN_KEY).getStatusCode()).as("even the right key").isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        verify(store, times(3)).findActiveKey(any());

        assertThat(send(filter, InetAddress.getByName("203.0.113.6"), "sk_test_guess4").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(send(filter, InetAddress.getByName("203.0.113.6"), ADMIN_KEY).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    private static MockServerHttpResponse send(ApiKeyAuthenticationFilter filter, InetAddress from, String apiKey) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/customers")
                .remoteAddress(new InetSocketAddress(from, 40000))
                .header("x-api-key", apiKey));
        filter.filter(exchange, SERVED).block(Duration.ofSeconds(5));
        return exchange.getResponse();
    }

    @Test
    void everyV1PathButGettingHealthNeedsAKey() {
        assertThat(ApiKeyAuthenticationFilter.needsKey(HttpMethod.GET, "/v1/health")).isFalse();
        assertThat(ApiKeyAuthenticationFilter.needsKey(HttpMethod.POST, "/v1/health")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.needsKey(HttpMethod.GET, "/v1/payments")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.needsKey(HttpMethod.GET, "/v1")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.needsKey(HttpMethod.GET, "/actuator/health")).isFalse();
        assertThat(ApiKeyAuthenticationFilter.needsKey(HttpMethod.GET, "/v10/payments")).isFalse();
    }

    @Test
    void merchantsAndKeysAreTheOperatorsPaths() {
        assertThat(ApiKeyAuthenticationFilter.isAdminPath("/v1/merchants")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.isAdminPath("/v1/merchants/mer_1/api-keys")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.isAdminPath("/v1/api-keys/key_1")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.isAdminPath("/v1/merchantsx")).isFalse();
        assertThat(ApiKeyAuthenticationFilter.isAdminPath("/v1/payments")).isFalse();
    }

    @Test
    void readsTheKeyFromXApiKeyOrABearerToken() {
        HttpHeaders apiKey = new HttpHeaders();
        apiKey.set("X-API-KEY", " sk_test_abc ");
        assertThat(ApiKeyAuthenticationFilter.presentedKey(apiKey)).isEqualTo("sk_test_abc");

        HttpHeaders bearer = new HttpHeaders();
        bearer.set(HttpHeaders.AUTHORIZATION, "bearer sk_test_def");
        assertThat(ApiKeyAuthenticationFilter.presentedKey(bearer)).isEqualTo("sk_test_def");

        HttpHeaders basic = new HttpHeaders();
        basic.set(HttpHeaders.AUTHORIZATION, "Basic dXNlcjpwYXNz");
        assertThat(ApiKeyAuthenticationFilter.presentedKey(basic)).isNull();
        assertThat(ApiKeyAuthenticationFilter.presentedKey(new HttpHeaders())).isNull();
    }
}
