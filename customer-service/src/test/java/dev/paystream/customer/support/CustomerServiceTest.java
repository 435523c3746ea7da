package dev.paystream.customer.support;

import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.ServiceTestProperties;
import dev.paystream.testsupport.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of customer-service integration tests: one Spring context on a real PostgreSQL database and the
 * real embedded broker, shared by every subclass ({@link CustomerServiceInfrastructure}). Requests carry
 * the gateway's headers, as they would behind the gateway; each test works for merchants of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class CustomerServiceTest implements CustomerServiceInfrastructure {

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    protected WebTestClient web;

    protected static String newMerchantId() {
        return "mer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A client acting as {@code merchantId}, the way the gateway forwards an authenticated request. */
    protected WebTestClient as(String merchantId) {
        return web.mutate()
                .defaultHeader(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .defaultHeader(GatewayHeaders.MERCHANT_ID, merchantId)
                .build();
    }

    /** A client acting with the operator's admin key. */
    protected WebTestClient asOperator() {
        return web.mutate()
                .defaultHeader(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .defaultHeader(GatewayHeaders.ADMIN, "true")
                .build();
    }

    protected WebTestClient.ResponseSpec post(String merchantId, String uri, Object body) {
        WebTestClient.RequestBodySpec request = as(merchantId).post().uri(uri);
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    protected WebTestClient.ResponseSpec patch(String merchantId, String uri, Object body) {
        return as(merchantId).patch().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    protected JsonNode getJson(String merchantId, String uri) {
        return JSON.readTree(as(merchantId).get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    /** Creates a customer of {@code merchantId} with the given id and answers that id. */
    protected String aCustomer(String merchantId, String customerId) {
        post(merchantId, "/v1/customers", Map.of("customer_id", customerId, "email", customerId + "@example.com"))
                .expectStatus().isCreated();
        return customerId;
    }

    /** Creates an open invoice for {@code amount} USD to a new customer of {@code merchantId}; answers its id. */
    protected String anInvoice(String merchantId, long amount) {
        String customerId = aCustomer(merchantId, "cust-" + UUID.randomUUID().toString().substring(0, 8));
        return anInvoice(merchantId, customerId, amount, "USD");
    }

    protected String anInvoice(String merchantId, String customerId, long amount, String currency) {
        Map<String, Object> body = new HashMap<>(Map.of("customer_id", customerId, "amount", amount, "currency", currency));
        String created = post(merchantId, "/v1/invoices", body).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(created).get("id").asString();
    }

    /** Reads {@code topic} from the beginning until {@code done} holds for what was read, or 30 s pass. */
    protected static List<ConsumerRecord<String, String>> readTopicUntil(String topic, Predicate<List<ConsumerRecord<String, String>>> done) {
        return TestKafka.readUntil(topic, done, Duration.ofSeconds(30));
    }
}
