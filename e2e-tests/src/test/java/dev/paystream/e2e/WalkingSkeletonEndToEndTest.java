package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.testsupport.TestKafka;
import dev.paystream.testsupport.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The walking skeleton end to end: the packaged gateway, payment and ledger services as separate
 * JVMs, a real Kafka broker and a real PostgreSQL. A client pays through the gateway and finds the
 * balanced journal entry in the ledger, also through the gateway.
 */
class WalkingSkeletonEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_KEY = "sk_admin_e2e_" + UUID.randomUUID().toString().replace("-", "");
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static String gateway;
    private static GatewayClient client;
    private static String paymentServiceUrl;
    private static TestPostgres.Database paymentDb;
    private static TestPostgres.Database gatewayDb;

    @BeforeAll
    static void startTheSystem() throws InterruptedException {
        TestPostgres.Database payments = TestPostgres.createDatabase("e2e_payment");
        TestPostgres.Database ledger = TestPostgres.createDatabase("e2e_ledger");
        gatewayDb = TestPostgres.createDatabase("e2e_gateway");
        paymentDb = payments;
        Map<String, String> common = ServiceProcess.commonEnvironment(payments);
        int paymentPort = ServiceProcess.freePort();
        int ledgerPort = ServiceProcess.freePort();
        int gatewayPort = ServiceProcess.freePort();

        Map<String, String> paymentEnv = new HashMap<>(common);
        paymentEnv.put("PAYSTREAM_PAYMENT_PORT", Integer.toString(paymentPort));
        paymentEnv.put("PAYSTREAM_PAYMENT_DB", payments.name());
        Map<String, String> ledgerEnv = new HashMap<>(common);
        ledgerEnv.put("PAYSTREAM_LEDGER_PORT", Integer.toString(ledgerPort));
        ledgerEnv.put("PAYSTREAM_LEDGER_DB", ledger.name());
        Map<String, String> gatewayEnv = new HashMap<>(common);
        gatewayEnv.put("PAYSTREAM_GATEWAY_PORT", Integer.toString(gatewayPort));
        gatewayEnv.put("PAYSTREAM_GATEWAY_DB", gatewayDb.name());
        gatewayEnv.put("PAYSTREAM_ADMIN_KEY", ADMIN_KEY);
        gatewayEnv.put("PAYSTREAM_PAYMENT_URL", "http://127.0.0.1:" + paymentPort);
        gatewayEnv.put("PAYSTREAM_LEDGER_URL", "http://127.0.0.1:" + ledgerPort);

        // The back-end services start together; the gateway after them, as ./paystream up does.
        ServiceProcess paymentService = ServiceProcess.start("payment-service", paymentPort, paymentEnv);
        services.add(paymentService);
        ServiceProcess ledgerService = ServiceProcess.start("ledger-service", ledgerPort, ledgerEnv);
        services.add(ledgerService);
        paymentService.awaitReady(Duration.ofMinutes(3));
        paymentServiceUrl = paymentService.baseUrl();
        ledgerService.awaitReady(Duration.ofMinutes(3));
        ServiceProcess gatewayService = ServiceProcess.start("gateway-service", gatewayPort, gatewayEnv);
        services.add(gatewayService);
        gatewayService.awaitReady(Duration.ofMinutes(3));
        gateway = gatewayService.baseUrl();
        client = new GatewayClient(gateway, ADMIN_KEY);
    }

    @AfterAll
    static void stopTheSystem() throws InterruptedException {
        for (ServiceProcess service : services) {
            service.close();
        }
    }

    @Test
    void aPaymentThroughTheGatewayBecomesABalancedLedgerEntry() throws Exception {
        String apiKey = createMerchantKey();

        HttpResponse<String> created = send("POST", "/v1/payments", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                """
                {"amount":5000,"currency":"USD","payment_method":"card",
                 "card":{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Request-Id")).isPresent();
        JsonNode payment = JSON.readTree(created.body());
        String paymentId = payment.get("id").asString();
        assertThat(payment.get("status").asString()).isEqualTo("captured");

        JsonNode entries = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(send("GET", "/v1/ledger/entries?payment_id=" + paymentId, apiKey, Map.of(), null).body()),
                        body -> body.has("data") && body.get("data").size() == 1);

        JsonNode entry = entries.get("data").get(0);
        assertThat(entry.get("payment_id").asString()).isEqualTo(paymentId);
        assertThat(entry.get("event_id").asString()).startsWith("evt_");
        long debits = 0;
        long credits = 0;
        for (JsonNode line : entry.get("lines")) {
            assertThat(line.get("currency").asString()).isEqualTo("USD");
            debits += line.get("debit").asLong();
            credits += line.get("credit").asLong();
        }
        assertThat(debits).isEqualTo(5000).isEqualTo(credits);
    }

    @Test
    void badInputThroughTheGatewayIsA422ProblemNamingTheField() throws Exception {
        String apiKey = createMerchantKey();

        HttpResponse<String> response = send("POST", "/v1/payments", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                "{\"amount\":-1,\"currency\":\"USD\",\"payment_method\":\"card\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("param").asString()).isEqualTo("amount");
    }

    @Test
    void aRequestWithoutAKeyIsRefusedByTheGateway() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/payments/pay_123", null, Map.of(), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void aDeclineThroughTheGatewayIsA402CarryingThePaymentAndItsDeclineCode() throws Exception {
        String apiKey = createMerchantKey();

        HttpResponse<String> response = send("POST", "/v1/payments", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                cardPayment("4000000000009995"));

        assertThat(response.statusCode()).isEqualTo(402);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("decline_code").asString()).isEqualTo("insufficient_funds");
        HttpResponse<String> stored = send("GET", "/v1/payments/" + problem.get("payment_id").asString(), apiKey, Map.of(), null);
        assertThat(JSON.readTree(stored.body()).get("status").asString()).isEqualTo("declined");
    }

    @Test
    void anIdempotentRetryThroughTheGatewayIsReplayedByteForByte() throws Exception {
        String apiKey = createMerchantKey();
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        HttpResponse<String> first = send("POST", "/v1/payments", apiKey, key, cardPayment("4242424242424242"));
        HttpResponse<String> retry = send("POST", "/v1/payments", apiKey, key, cardPayment("4242424242424242"));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(first.body());
    }

    @Test
    void aMerchantCannotSeeAnotherMerchantsPayment() throws Exception {
        String owner = createMerchantKey();
        String other = createMerchantKey();
        HttpResponse<String> created = send("POST", "/v1/payments", owner, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                cardPayment("4242424242424242"));
        String paymentId = JSON.readTree(created.body()).get("id").asString();

        HttpResponse<String> response = send("GET", "/v1/payments/" + paymentId, other, Map.of(), null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("4242");
    }

    @Test
    void aServicePortCalledDirectlyWithAClaimedMerchantIsRefused() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(paymentServiceUrl + "/v1/payments"))
                .header("X-Paystream-Merchant-Id", "mer_someone_else").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("gateway_credential_required");
    }

    /**
     * ./paystream up's warm-up (deploy/warmup/WarmUp.java, issue 19) runs against the platform a user
     * is about to get: whatever it does must be gone before up returns — no merchant, no payment, no
     * idempotency key, no event on the payments topic.
     */
    @Test
    void theWarmUpOfPaystreamUpLeavesNoMerchantPaymentKeyOrEventBehind() throws Exception {
        // Earlier tests' payments still being relayed would move the topic's offsets: wait for the outbox to drain.
        await().atMost(Duration.ofSeconds(60)).until(() -> count(paymentDb, "outbox") == 0);
        Map<String, Long> before = platformContents();

        Path repository = Path.of(System.getProperty("paystream.services.dir", "..")).toAbsolutePath().normalize();
        String postgresDriver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ProcessBuilder warmUp = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", postgresDriver, repository.resolve("deploy/warmup/WarmUp.java").toString(), gateway, "3", "4")
                .redirectErrorStream(true);
        warmUp.environment().putAll(Map.of("PAYSTREAM_ADMIN_KEY", ADMIN_KEY, "PAYSTREAM_DB_HOST", gatewayDb.host(),
                "PAYSTREAM_DB_PORT", Integer.toString(gatewayDb.port()), "PAYSTREAM_DB_USER", gatewayDb.user(),
                "PAYSTREAM_DB_PASSWORD", gatewayDb.password(), "PAYSTREAM_GATEWAY_DB", gatewayDb.name()));
        Process process = warmUp.start();
        String output;
        try {
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the warm-up ends").isTrue();
        } finally {
            process.destroyForcibly();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(process.exitValue()).as(output).isZero();
        Matcher merchant = Pattern.compile("mer_[0-9a-zA-Z]+").matcher(output);
        assertThat(merchant.find()).as(output).isTrue();
        assertThat(send("GET", "/v1/merchants/" + merchant.group(), ADMIN_KEY, Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(platformContents()).isEqualTo(before);
    }

    /** Rows a warm-up could leave behind, and the messages on the payments topic. */
    private static Map<String, Long> platformContents() throws Exception {
        Map<String, Long> contents = new TreeMap<>();
        contents.put("gateway merchants", count(gatewayDb, "merchants"));
        contents.put("gateway api_keys", count(gatewayDb, "api_keys"));
        for (String table : List.of("payments", "payment_events", "idempotency_keys", "outbox")) {
            contents.put("payment " + table, count(paymentDb, table));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int partition = 0; partition < TestKafka.PARTITIONS; partition++) {
                ends.put(new TopicPartition("paystream.payments.v1", partition), OffsetSpec.latest());
            }
            long messages = 0;
            for (var end : admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).values()) {
                messages += end.offset();
            }
            contents.put("paystream.payments.v1 messages", messages);
        }
        return contents;
    }

    private static long count(TestPostgres.Database database, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String cardPayment(String number) {
        return "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"" + number
                + "\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}}";
    }

    private static String createMerchantKey() throws IOException, InterruptedException {
        return client.createMerchantKey();
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        return client.send(method, path, apiKey, headers, body);
    }
}
