package dev.paystream.webhook.endpoint;

import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.ServiceTestProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The SSRF guard at registration with the production default, private targets refused: every
 * loopback, private, link-local, unique-local or otherwise internal target, in any spelling, is a 422
 * naming {@code url}, and so is plain http. (Delivery-time checks: {@code NettySenderTest}.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"paystream.webhooks.allow-private-targets=false", "spring.kafka.consumer.group-id=webhook-ssrf-test"})
@AutoConfigureWebTestClient
class SsrfGuardIntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "webhook_ssrf");
    }

    @Autowired
    WebTestClient web;

    @Test
    void internalTargetsAreRefusedAtRegistration() {
        for (String url : List.of("https://127.0.0.1/x", "https://localhost/x", "https://127.1/x", "https://10.1.2.3/x", "https://172.16.0.1/x",
                "https://192.168.1.1/x", "https://100.64.0.1/x", "https://169.254.169.254/latest/meta-data", "https://0.0.0.0/x",
                "https://[::1]/x", "https://[::]/x", "https://[fe80::1]/x", "https://[fd00::1]/x", "https://[::ffff:127.0.0.1]/x",
                "https://[::ffff:a9fe:a9fe]/x", "https://224.0.0.1/x", "http://example.com/x")) {
            web.post().uri("/v1/webhook-endpoints")
                    .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                    .header(GatewayHeaders.MERCHANT_ID, "mer_ssrf")
                    .bodyValue(Map.of("url", url, "events", List.of("*")))
                    .exchange()
                    .expectStatus().isEqualTo(422)
                    .expectBody().jsonPath("$.param").isEqualTo("url").jsonPath("$.code").isEqualTo("invalid_url");
        }
    }
}
