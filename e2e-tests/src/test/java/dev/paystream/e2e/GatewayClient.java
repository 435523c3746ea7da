package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A client of the gateway as a merchant or the operator uses it: JSON requests with an API key. */
final class GatewayClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String adminKey;

    GatewayClient(String baseUrl, String adminKey) {
        this.baseUrl = baseUrl;
        this.adminKey = adminKey;
    }

    /** A new merchant's API key, made with the admin key; the merchant has the default rate limit. */
    String createMerchantKey() throws IOException, InterruptedException {
        return createMerchantKey("{\"name\":\"Acme\"}");
    }

    /** A new merchant's API key, for a merchant allowed {@code rateLimitPerMinute} requests a minute. */
    String createMerchantKey(int rateLimitPerMinute) throws IOException, InterruptedException {
        return createMerchantKey("{\"name\":\"Acme\",\"rate_limit_per_minute\":" + rateLimitPerMinute + "}");
    }

    private String createMerchantKey(String body) throws IOException, InterruptedException {
        HttpResponse<String> merchant = send("POST", "/v1/merchants", adminKey, Map.of(), body);
        assertThat(merchant.statusCode()).as(merchant.body()).isEqualTo(201);
        return JSON.readTree(merchant.body()).get("api_key").asString();
    }

    HttpResponse<String> send(String method, String path, String apiKey, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
