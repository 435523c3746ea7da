package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One API reference on the gateway's port (issue 16, CONTRACT §12): the gateway's Swagger UI lists every
 * service's OpenAPI document, and each of them, read through the gateway, is the service's own.
 */
@ExtendWith(Platform.Shared.class)
class ApiReferenceEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * springdoc builds a service's document on its first read, which on a loaded machine can outlast the
     * route's response timeout: that read answers 503 (deploy/README.md). The document is there once built.
     */
    private static final Duration DOCUMENT_BUILT_WITHIN = Duration.ofSeconds(90);
    private static Platform platform;

    @BeforeAll
    static void platform(Platform started) {
        platform = started;
    }

    @Test
    void theGatewaysSwaggerUiListsEveryServicesDocumentAndEachReadThroughTheGatewayIsTheServicesOwn() throws Exception {
        List<String> services = new ArrayList<>();
        for (String line : Platform.registry()) {
            String name = line.trim().split("\\s+")[0];
            if (!name.equals("gateway")) {
                services.add(name);
            }
        }

        HttpResponse<String> config = get(platform.url("gateway") + "/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        Map<String, String> listed = new HashMap<>();
        JSON.readTree(config.body()).get("urls").forEach(url -> listed.put(url.get("url").asString(), url.get("name").asString()));
        Set<String> expected = new TreeSet<>(List.of("/v3/api-docs"));
        services.forEach(service -> expected.add("/v3/api-docs/" + service));
        assertThat(listed.keySet()).as("documents listed in the gateway's Swagger UI: %s", listed).containsExactlyInAnyOrderElementsOf(expected);

        for (String service : services) {
            HttpResponse<String> throughGateway = await(service + "'s document through the gateway").atMost(DOCUMENT_BUILT_WITHIN)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> get(platform.url("gateway") + "/v3/api-docs/" + service), response -> response.statusCode() != 503);
            assertThat(throughGateway.statusCode()).as("%s: %s", service, throughGateway.body()).isEqualTo(200);
            JsonNode document = JSON.readTree(throughGateway.body());
            JsonNode own = JSON.readTree(get(platform.url(service) + "/v3/api-docs").body());

            Set<String> paths = new TreeSet<>(document.get("paths").propertyNames());
            assertThat(paths).as("%s's paths through the gateway", service).isNotEmpty()
                    .allSatisfy(path -> assertThat(path).startsWith("/v1/"))
                    .isEqualTo(new TreeSet<>(own.get("paths").propertyNames()));
            // "Try it out" sends requests to the server the page came from: the gateway, with an API key.
            assertThat(document.get("servers").get(0).get("url").asString()).as("%s's server", service).isEqualTo("/");
            assertThat(document.at("/components/securitySchemes").propertyNames()).as("%s's security schemes", service).isNotEmpty();
        }

        HttpResponse<String> ui = get(platform.url("gateway") + "/swagger-ui.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
