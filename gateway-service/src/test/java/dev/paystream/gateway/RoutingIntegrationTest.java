package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

class RoutingIntegrationTest extends GatewayIntegrationTest {

    private static final String GATEWAY_TOKEN = dev.paystream.testsupport.ServiceTestProperties.GATEWAY_TOKEN;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MeterRegistry meters;

    @Test
    void replacesAClientsSpoofedIdentityWithTheAuthenticatedMerchant() {
        CreatedMerchant merchant = createMerchant("Honest Merchant");

        Map<String, String> received = headersReceivedByCustomerService(web.get().uri("/v1/customers/cus_1?expand=x")
                .header("x-api-key", merchant.apiKey())
                .header("X-Paystream-Merchant-Id", "mer_someoneElse")
                .header("X-Paystream-Admin", "true")
                .header("X-Paystream-Gateway-Token", "guessed-token")
                .header("x-paystream-anything", "smuggled")
                .header("X-Request-Id", "req_fromClient1"));

        assertThat(received)
                .containsEntry("x-paystream-merchant-id", merchant.id())
                .containsEntry("x-paystream-gateway-token", GATEWAY_TOKEN)
                .containsEntry("x-request-id", "req_fromClient1")
                .doesNotContainKeys("x-paystream-admin", "x-paystream-anything", "x-api-key", "authorization");
    }

    @Test
    void tellsServicesWhenTheOperatorIsCallingAndDropsAnyClaimedMerchant() {
        Map<String, String> received = headersReceivedByCustomerService(web.get().uri("/v1/invoices")
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("X-Paystream-Merchant-Id", "mer_someoneElse"));

        assertThat(received)
                .containsEntry("x-paystream-admin", "true")
                .containsEntry("x-paystream-gateway-token", GATEWAY_TOKEN)
                .doesNotContainKeys("x-paystream-merchant-id", "authorization")
                .containsKey("x-request-id");
    }

    @Test
    void forwardsPathQueryAndMethodToTheOwningService() {
        CreatedMerchant merchant = createMerchant("Path Co");
        web.post().uri("/v1/customers?x=1").header("x-api-key", merchant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"a@b.co\"}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().values("X-Request-Id", ids -> assertThat(ids).hasSize(1))
                .expectBody()
                .jsonPath("$.method").isEqualTo("POST")
                .jsonPath("$.path").isEqualTo("/v1/customers?x=1")
                .jsonPath("$.body").isEqualTo("{\"email\":\"a@b.co\"}");
    }

    @Test
    void aStoppedServiceIsA503ProblemWithRetryAfter() {
        CreatedMerchant merchant = createMerchant("Unlucky Co");
        long started = System.nanoTime();
        web.post().uri("/v1/payments").header("x-api-key", merchant.apiKey())
                .bodyValue(Map.of("amount", 5000))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, retryAfter -> assertThat(Integer.parseInt(retryAfter)).isPositive())
                .expectBody()
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.code").isEqualTo("service_unavailable")
                .jsonPath("$.service").isEqualTo("payment")
                .jsonPath("$.detail").isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void paymentsRefundsPayoutsTheBalanceAndSettlementsAreRoutedToThePaymentService() {
        CreatedMerchant merchant = createMerchant("Settling Co");
        // The payment service is stopped here: a 503 naming it shows the route, where an unrouted path is a 404.
        for (String path : List.of("/v1/payments/pay_1", "/v1/refunds", "/v1/refunds/re_1", "/v1/payouts", "/v1/payouts/po_1",
                "/v1/balance", "/v1/settlements", "/v1/settlements/st_1", "/v1/settlements/st_1/file")) {
            web.get().uri(path).header("x-api-key", merchant.apiKey())
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody().jsonPath("$.service").isEqualTo("payment");
        }
        web.get().uri("/v1/balances").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isNotFound();
    }

    @Test
    void theWebhookConsumersParkedEventsAreRoutedToTheWebhookService() {
        // The webhook service is stopped here: a 503 naming it shows the route, where an unrouted path is a 404.
        for (String path : List.of("/v1/webhooks/parked-events", "/v1/webhooks/parked-events/pe_1")) {
            web.get().uri(path).header("Authorization", "Bearer " + ADMIN_KEY)
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody().jsonPath("$.service").isEqualTo("webhook");
        }
        web.get().uri("/v1/webhooks/other").header("Authorization", "Bearer " + ADMIN_KEY).exchange().expectStatus().isNotFound();
    }

    @Test
    void aServiceSlowerThanItsRouteTimeoutIsA503ProblemWithinTheTimeout() {
        CreatedMerchant merchant = createMerchant("Patient Co");
        long started = System.nanoTime();
        web.get().uri("/v1/ledger/balances").header("x-api-key", merchant.apiKey())
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.service").isEqualTo("ledger");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(LEDGER_TIMEOUT)
                .isLessThan(LEDGER_TIMEOUT.plusSeconds(2));
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsA408ProblemAndTheConnectionIsClosedWithoutAnErrorLogged() throws Exception {
        CreatedMerchant merchant = createMerchant("Trickle Co");
        try (CapturedLog log = CapturedLog.capture()) {
            String answer = sendHeadersAndPartOfTheBody("/v1/customers", merchant.apiKey(), "req_trickle1");

            assertIsRequestTimeoutProblem(answer, "req_trickle1");
            // The request's log line is written once its exchange is over; by then every failure would have been logged.
            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("request_id=req_trickle1"));
            assertThat(log.lines()).contains("POST /v1/customers status=408");
            assertThat(log.linesAtLeast(Level.ERROR)).as("errors logged").isEmpty();
            assertThat(log.linesAtLeast(Level.WARN)).as("warnings with a stack trace").noneMatch(line -> line.contains(" thrown="));
        }
        // The connection to the service that had the unfinished request is not reused: the next request is served.
        web.post().uri("/v1/customers").header("x-api-key", merchant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"next\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.body").isEqualTo("{\"name\":\"next\"}");
    }

    @Test
    void aBodyForTheGatewaysOwnEndpointsThatDoesNotArriveInTimeIsA408ProblemToo() throws Exception {
        assertIsRequestTimeoutProblem(sendHeadersAndPartOfTheBody("/v1/merchants", ADMIN_KEY, "req_trickle2"), "req_trickle2");
    }

    @Test
    void aClientThatGoesAwayInTheMiddleOfItsBodyIsLoggedAs499WithoutAnErrorOrAStackTrace() throws Exception {
        CreatedMerchant merchant = createMerchant("Quitter Co");
        try (CapturedLog log = CapturedLog.capture()) {
            int begunBefore = CUSTOMER_SERVICE.requestsBegun();
            try (Socket client = new Socket("127.0.0.1", gatewayPort)) {
                sendHeadersAndPartOfTheBody(client, "/v1/customers", merchant.apiKey(), "req_quitter1");
                // Gone once the proxied request is under way, half of its body sent to the service.
                await().atMost(Duration.ofSeconds(10)).until(() -> CUSTOMER_SERVICE.requestsBegun() > begunBefore);
            }
            try (Socket client = new Socket("127.0.0.1", gatewayPort)) {
                sendHeadersAndPartOfTheBody(client, "/v1/merchants", ADMIN_KEY, "req_quitter2");
                // Gone once the gateway's controller waits for the rest of the body.
                await().atMost(Duration.ofSeconds(10)).until(() -> activeRequests("POST") > 0);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("request_id=req_quitter1") && log.contains("request_id=req_quitter2"));
            assertThat(log.lines()).contains("POST /v1/customers status=499").contains("POST /v1/merchants status=499");
            assertThat(log.linesAtLeast(Level.ERROR)).as("errors logged").isEmpty();
            assertThat(log.linesAtLeast(Level.WARN)).as("warnings with a stack trace").noneMatch(line -> line.contains(" thrown="));
        }
    }

    /** Sends a request's headers and the start of its body, then nothing: what the gateway answers before it closes the connection. */
    private String sendHeadersAndPartOfTheBody(String path, String apiKey, String requestId) throws Exception {
        try (Socket client = new Socket("127.0.0.1", gatewayPort)) {
            client.setSoTimeout((int) REQUEST_BODY_TIMEOUT.plusSeconds(8).toMillis());
            long started = System.nanoTime();
            sendHeadersAndPartOfTheBody(client, path, apiKey, requestId);

            // Read until the gateway closes the connection.
            String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(REQUEST_BODY_TIMEOUT.minusMillis(100))
                    .isLessThan(REQUEST_BODY_TIMEOUT.plusSeconds(5));
            return answer;
        }
    }

    private long activeRequests(String method) {
        return meters.find("http.server.requests.active").tag("method", method).longTaskTimers().stream()
                .mapToLong(LongTaskTimer::activeTasks).sum();
    }

    /** The headers of a request announcing a body of 100 bytes, and its first 8. */
    private static void sendHeadersAndPartOfTheBody(Socket client, String path, String apiKey, String requestId) throws Exception {
        client.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + apiKey
                + "\r\nX-Request-Id: " + requestId + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":")
                .getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
    }

    private static void assertIsRequestTimeoutProblem(String answer, String requestId) {
        assertThat(answer).startsWith("HTTP/1.1 408 ");
        int headEnd = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, headEnd).toLowerCase();
        assertThat(head).contains("content-type: application/problem+json").contains("x-request-id: " + requestId.toLowerCase());
        Map<?, ?> problem = JSON.readValue(answer.substring(headEnd + 4), Map.class);
        assertThat(problem.get("status")).isEqualTo(408);
        assertThat(problem.get("code")).isEqualTo("request_timeout");
        assertThat((String) problem.get("detail")).contains("body").contains("in time");
        assertThat(problem.get("request_id")).isEqualTo(requestId);
    }

    @Test
    void anUnknownV1PathIsA404Problem() {
        CreatedMerchant merchant = createMerchant("Lost Co");
        web.get().uri("/v1/nothing-here").header("x-api-key", merchant.apiKey())
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void aWrongMethodOnAGatewayEndpointIsA405Problem() {
        web.put().uri("/v1/merchants").header("x-api-key", ADMIN_KEY).bodyValue(Map.of())
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() {
        CreatedMerchant merchant = createMerchant("Bulky Co");
        String tooLarge = "{\"description\":\"" + "x".repeat(70 * 1024) + "\"}";
        web.post().uri("/v1/customers").header("x-api-key", merchant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(tooLarge)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("request_too_large");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413ProblemToo() {
        CreatedMerchant merchant = createMerchant("Streaming Co");
        Flux<String> chunks = Flux.range(0, 80).map(i -> "x".repeat(1024));
        web.post().uri("/v1/customers").header("x-api-key", merchant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, String.class)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("request_too_large");
    }

    @Test
    void requestMetricsNameTheRouteAProxiedRequestTook() {
        CreatedMerchant merchant = createMerchant("Metrics Co");
        web.get().uri("/v1/customers/cus_metrics").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();

        // The observation stops as the response completes, a moment after the client has it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(meters.find("http.server.requests")
                .tags("route", "customer", "method", "GET", "status", "200").timer())
                .as("a timer of proxied requests tagged with their route").isNotNull());
        assertThat(meters.find("http.server.requests").tags("route", "none", "method", "POST", "uri", "/v1/merchants").timer())
                .as("the gateway's own endpoints are tagged route=none").isNotNull();
    }

    @Test
    void aChunkedBodyUnderTheLimitIsForwarded() {
        CreatedMerchant merchant = createMerchant("Small Streaming Co");
        Flux<String> chunks = Flux.range(0, 4).map(i -> "y".repeat(1024));
        web.post().uri("/v1/customers").header("x-api-key", merchant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, String.class)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.method").isEqualTo("POST")
                .jsonPath("$.body").isEqualTo("y".repeat(4 * 1024));
    }

    @Test
    void healthIsDegradedAndNamesEachServiceWhenSomeAreDown() {
        web.get().uri("/v1/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("degraded")
                .jsonPath("$.services.customer").isEqualTo("up")
                .jsonPath("$.services.payment").isEqualTo("down")
                .jsonPath("$.services.ledger").isEqualTo("down")
                .jsonPath("$.services.webhook").isEqualTo("down");
    }

    @Test
    void concurrentHealthCallersShareOneRoundOfReadinessChecksWhoseAnswerIsReusedForAboutASecond() {
        WebClient client = WebClient.create("http://127.0.0.1:" + gatewayPort);
        int checksBefore = CUSTOMER_SERVICE.readinessChecks();

        List<Map> answers = Flux.range(0, 20)
                .flatMap(call -> client.get().uri("/v1/health").retrieve().bodyToMono(Map.class), 20)
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(answers).hasSize(20).allSatisfy(answer -> assertThat(answer).containsEntry("status", "degraded"));
        // One round for all of them; two should a cached answer have expired while they were being served.
        int checksAfter = CUSTOMER_SERVICE.readinessChecks();
        assertThat(checksAfter - checksBefore).isLessThanOrEqualTo(2);
        // The answer is not kept for long: a later caller causes a new round.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            web.get().uri("/v1/health").exchange().expectStatus().isOk();
            return CUSTOMER_SERVICE.readinessChecks() > checksAfter;
        });
    }

    @Test
    void answersABrowserPreflightFromAnAllowedOriginWithoutAKey() {
        web.options().uri("/v1/payments")
                .header(HttpHeaders.ORIGIN, "https://dashboard.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "x-api-key,content-type")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://dashboard.example.com");
        web.options().uri("/v1/payments")
                .header(HttpHeaders.ORIGIN, "https://evil.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectStatus().isForbidden();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headersReceivedByCustomerService(org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?> request) {
        EntityExchangeResult<Map> result = request.exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        return (Map<String, String>) result.getResponseBody().get("headers");
    }
}
