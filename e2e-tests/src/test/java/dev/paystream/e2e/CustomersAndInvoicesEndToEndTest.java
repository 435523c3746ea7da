package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.events.RecordHeaders;
import dev.paystream.events.Topics;
import dev.paystream.testsupport.EventSchemas;
import dev.paystream.testsupport.TestKafka;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Customers and invoices through the gateway, on the platform as {@code ./paystream up} runs it:
 * customer-service owns them, payment-service checks payments against its own copy of them (read from
 * Kafka, ADR 0005), and customer-service applies the captures and refunds of payment-service's events
 * to the invoices (CONTRACT §4, §5, §7, §11).
 */
@ExtendWith(Platform.Shared.class)
class CustomersAndInvoicesEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(60);
    private static final int ROUNDS = 200;
    private static final int CLIENTS = 4;
    private static GatewayClient client;
    private static String kafka;

    @BeforeAll
    static void connect(Platform platform) {
        client = platform.client();
        kafka = platform.kafkaBootstrap();
    }

    @Test
    void anInvoicePaidInTwoPartsIsPaidAndReopenedByARefundAndEveryStepIsAnEventOnKafka() throws Exception {
        String apiKey = client.createMerchantKey();
        String customerId = "e2e-" + UUID.randomUUID();
        HttpResponse<String> customer = send("POST", "/v1/customers", apiKey,
                "{\"customer_id\":\"" + customerId + "\",\"email\":\"jane@example.com\",\"name\":\"Jane Doe\"}");
        assertThat(customer.statusCode()).as(customer.body()).isEqualTo(201);
        HttpResponse<String> issued = send("POST", "/v1/invoices", apiKey,
                "{\"customer_id\":\"" + customerId + "\",\"amount\":10000,\"currency\":\"USD\",\"description\":\"December\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode invoice = JSON.readTree(issued.body());
        String invoiceId = invoice.get("id").asString();
        assertThat(invoice.get("status").asString()).isEqualTo("open");
        assertThat(invoice.get("amount_due").asLong()).isEqualTo(10000);

        // Paid at once, an instant after the invoice was issued: payment-service finds it (read your writes).
        String first = pay(apiKey, customerId, invoiceId, 4000, "USD");
        JsonNode partlyPaid = awaitInvoice(apiKey, invoiceId, shown -> shown.get("amount_paid").asLong() == 4000);
        assertThat(partlyPaid.get("status").asString()).isEqualTo("open");
        assertThat(partlyPaid.get("amount_due").asLong()).isEqualTo(6000);
        // What payment-service refuses before the card is charged: more than is due, another currency.
        assertProblem(paying(apiKey, customerId, invoiceId, 6001, "USD"), 422, "amount_exceeds_invoice_due");
        assertProblem(paying(apiKey, customerId, invoiceId, 1000, "EUR"), 422, "invoice_mismatch");

        String second = pay(apiKey, customerId, invoiceId, 6000, "USD");
        JsonNode paid = awaitInvoice(apiKey, invoiceId, shown -> shown.get("status").asString().equals("paid"));
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(10000);
        assertThat(paid.get("amount_due").asLong()).isZero();

        HttpResponse<String> refund = send("POST", "/v1/payments/" + second + "/refunds", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                "{\"amount\":1000,\"reason\":\"requested_by_customer\"}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        String refundId = JSON.readTree(refund.body()).get("id").asString();
        JsonNode reopened = awaitInvoice(apiKey, invoiceId, shown -> shown.get("status").asString().equals("open"));
        assertThat(reopened.get("amount_paid").asLong()).isEqualTo(9000);
        assertThat(reopened.get("amount_due").asLong()).isEqualTo(1000);
        assertProblem(send("POST", "/v1/invoices/" + invoiceId + "/void", apiKey, null), 409, "invoice_not_voidable");

        JsonNode applied = JSON.readTree(send("GET", "/v1/invoices/" + invoiceId + "/payments", apiKey, null).body()).get("data");
        Map<String, JsonNode> byPayment = new LinkedHashMap<>();
        applied.forEach(payment -> byPayment.put(payment.get("payment_id").asString(), payment));
        assertThat(byPayment).containsOnlyKeys(first, second);
        assertThat(byPayment.get(first).get("amount_applied").asLong()).isEqualTo(4000);
        assertThat(byPayment.get(first).get("amount_reversed").asLong()).isZero();
        assertThat(byPayment.get(second).get("amount_applied").asLong()).isEqualTo(6000);
        assertThat(byPayment.get(second).get("amount_reversed").asLong()).isEqualTo(1000);

        List<JsonNode> customerEvents = eventsOf(Topics.CUSTOMERS, customerId, 1);
        assertThat(customerEvents).extracting(event -> event.get("type").asString()).containsExactly("customer.created");
        assertThat(customerEvents.get(0).at("/data/customer/email").asString()).isEqualTo("jane@example.com");

        List<JsonNode> invoiceEvents = eventsOf(Topics.INVOICES, invoiceId, 6);
        assertThat(invoiceEvents).extracting(event -> event.get("type").asString()).containsExactly("invoice.created",
                "invoice.payment_applied", "invoice.payment_applied", "invoice.paid", "invoice.payment_reversed", "invoice.reopened");
        assertThat(invoiceEvents.get(1).at("/data/payment_id").asString()).isEqualTo(first);
        assertThat(invoiceEvents.get(2).at("/data/payment_id").asString()).isEqualTo(second);
        assertThat(invoiceEvents.get(3).at("/data/invoice/amount_paid").asLong()).isEqualTo(10000);
        assertThat(invoiceEvents.get(4).at("/data/refund_id").asString()).isEqualTo(refundId);
        assertThat(invoiceEvents.get(5).at("/data/invoice/amount_due").asLong()).isEqualTo(1000);

        assertThat(eventsOf(Topics.PAYMENTS, first, 2)).extracting(event -> event.get("type").asString())
                .containsExactly("payment.authorized", "payment.captured");
        List<JsonNode> secondEvents = eventsOf(Topics.PAYMENTS, second, 3);
        assertThat(secondEvents).extracting(event -> event.get("type").asString())
                .containsExactly("payment.authorized", "payment.captured", "payment.refunded");
        assertThat(secondEvents).allSatisfy(event -> assertThat(event.at("/data/payment/invoice_id").asString()).isEqualTo(invoiceId));
        assertThat(secondEvents.get(2).at("/data/refund/id").asString()).isEqualTo(refundId);
    }

    /**
     * Read your writes across services (CONTRACT §4, ADR 0005): a client creates a customer (and every
     * other round an invoice for it) and pays naming them at once, with no pause; payment-service,
     * which knows them only from Kafka, must never answer that they do not exist.
     */
    @Test
    void customersAndInvoicesCreatedAnInstantBeforeThePaymentAreAlwaysFound() throws Exception {
        String apiKey = client.createMerchantKey(100_000);
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c * (ROUNDS / CLIENTS);
                running.add(clients.submit(() -> {
                    for (int round = first; round < first + ROUNDS / CLIENTS; round++) {
                        createAndPayAtOnce(apiKey, round % 2 == 1, unexpected);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("%d rounds of create-then-pay by %d clients in %d ms%n", ROUNDS, CLIENTS,
                Duration.ofNanos(System.nanoTime() - started).toMillis());

        assertThat(unexpected).as("answers other than 201 in %d rounds", ROUNDS).isEmpty();
    }

    private static void createAndPayAtOnce(String apiKey, boolean withInvoice, ConcurrentLinkedQueue<String> unexpected)
            throws IOException, InterruptedException {
        HttpResponse<String> customer = send("POST", "/v1/customers", apiKey, "{\"email\":\"round@example.com\"}");
        if (customer.statusCode() != 201) {
            unexpected.add("customer " + customer.statusCode() + " " + customer.body());
            return;
        }
        String customerId = JSON.readTree(customer.body()).get("id").asString();
        String invoiceId = null;
        if (withInvoice) {
            HttpResponse<String> invoice = send("POST", "/v1/invoices", apiKey,
                    "{\"customer_id\":\"" + customerId + "\",\"amount\":2500,\"currency\":\"USD\"}");
            if (invoice.statusCode() != 201) {
                unexpected.add("invoice " + invoice.statusCode() + " " + invoice.body());
                return;
            }
            invoiceId = JSON.readTree(invoice.body()).get("id").asString();
        }
        HttpResponse<String> payment = paying(apiKey, customerId, invoiceId, 2500, "USD");
        if (payment.statusCode() != 201) {
            unexpected.add("payment naming " + customerId + (invoiceId == null ? "" : " and " + invoiceId) + ": "
                    + payment.statusCode() + " " + payment.body());
        }
    }

    private static String pay(String apiKey, String customerId, String invoiceId, long amount, String currency) throws IOException, InterruptedException {
        HttpResponse<String> response = paying(apiKey, customerId, invoiceId, amount, currency);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode payment = JSON.readTree(response.body());
        assertThat(payment.get("status").asString()).isEqualTo("captured");
        assertThat(payment.get("invoice_id").asString()).isEqualTo(invoiceId);
        return payment.get("id").asString();
    }

    private static HttpResponse<String> paying(String apiKey, String customerId, String invoiceId, long amount, String currency)
            throws IOException, InterruptedException {
        return send("POST", "/v1/payments", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                "{\"amount\":" + amount + ",\"currency\":\"" + currency + "\",\"payment_method\":\"card\",\"customer_id\":\"" + customerId + "\","
                        + (invoiceId == null ? "" : "\"invoice_id\":\"" + invoiceId + "\",")
                        + "\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}}");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("code").asString()).as(response.body()).isEqualTo(code);
    }

    private static JsonNode awaitInvoice(String apiKey, String invoiceId, Predicate<JsonNode> condition) {
        return await().atMost(APPLIED_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(send("GET", "/v1/invoices/" + invoiceId, apiKey, null).body()), condition::test);
    }

    /**
     * The events of one aggregate (the records keyed {@code key}) on {@code topic}, once {@code count}
     * distinct ones arrived, in the order Kafka holds them (a redelivered copy dropped, as consumers
     * do); each valid against its type's JSON Schema, headed by its id and type, numbered 1, 2, 3...
     */
    private static List<JsonNode> eventsOf(String topic, String key, int count) {
        Predicate<List<ConsumerRecord<String, String>>> enough = read -> distinct(read, key).size() >= count;
        List<ConsumerRecord<String, String>> mine = distinct(TestKafka.readUntil(kafka, topic, enough, APPLIED_WITHIN), key);
        assertThat(mine).as("events keyed %s on %s", key, topic).hasSize(count);
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, String> record : mine) {
            JsonNode event = JSON.readTree(record.value());
            String type = event.get("type").asString();
            assertThat(EventSchemas.violations(type, record.value())).as(record.value()).isEmpty();
            assertThat(header(record, RecordHeaders.EVENT_TYPE)).isEqualTo(type);
            assertThat(header(record, RecordHeaders.EVENT_ID)).isEqualTo(event.get("id").asString());
            assertThat(event.get("aggregate_id").asString()).isEqualTo(key);
            assertThat(event.get("sequence").asLong()).as(record.value()).isEqualTo(events.size() + 1);
            events.add(event);
        }
        return events;
    }

    private static List<ConsumerRecord<String, String>> distinct(List<ConsumerRecord<String, String>> records, String key) {
        Map<String, ConsumerRecord<String, String>> byEventId = new LinkedHashMap<>();
        records.stream().filter(record -> key.equals(record.key()))
                .forEach(record -> byEventId.putIfAbsent(header(record, RecordHeaders.EVENT_ID), record));
        return List.copyOf(byEventId.values());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, String body) throws IOException, InterruptedException {
        return client.send(method, path, apiKey, Map.of(), body);
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        return client.send(method, path, apiKey, headers, body);
    }
}
