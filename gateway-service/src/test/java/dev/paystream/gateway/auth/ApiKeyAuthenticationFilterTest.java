package dev.paystream.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

class ApiKeyAuthenticationFilterTest {

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
