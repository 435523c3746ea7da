package dev.paystream.payment.support;

import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.ServiceTestProperties;
import dev.paystream.testsupport.TestKafka;
import dev.paystream.testsupport.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of payment-service integration tests: one Spring context on a real PostgreSQL database and
 * the real embedded broker, shared by every subclass. Requests carry the gateway's headers, as they
 * would behind the gateway.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class PaymentServiceTest {

    protected static TestPostgres.Database database;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        database = ServiceTestProperties.register(registry, "payment");
        // Short processor limits keep the resilience tests fast; the slow card still outlasts the timeout.
        registry.add("paystream.processor.timeout", () -> "500ms");
        registry.add("paystream.processor.retry.wait", () -> "20ms");
        registry.add("paystream.processor.slow-answer-delay", () -> "3s");
        registry.add("paystream.async-methods.completion-delay", () -> "300ms");
        registry.add("paystream.async-methods.poll-interval", () -> "100ms");
        registry.add("paystream.payouts.completion-delay", () -> "300ms");
        registry.add("paystream.payouts.poll-interval", () -> "100ms");
        // A settlement run that writes nothing for this long is taken up by the work queue (a slow run meets its resumption: both are safe).
        registry.add("paystream.settlement.resume-after", () -> "2s");
        registry.add("paystream.settlement.poll-interval", () -> "200ms");
        // An unknown customer or invoice is answered once the projection caught up and this has passed.
        registry.add("paystream.references.settle-time", () -> "300ms");
    }

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

    protected static String idempotencyKey() {
        return UUID.randomUUID().toString();
    }

    protected static Map<String, Object> cardPayment(long amount, String cardNumber) {
        return Map.of("amount", amount, "currency", "usd", "payment_method", "card",
                "card", Map.of("number", cardNumber, "exp_month", 12, "exp_year", 2030, "cvc", "123", "holder", "John Doe"),
                "description", "Order #123", "metadata", Map.of("order_id", "123"));
    }

    /** Reads {@code topic} from the beginning until {@code done} holds for what was read, or 30 s pass. */
    protected static List<ConsumerRecord<String, String>> readTopicUntil(String topic, Predicate<List<ConsumerRecord<String, String>>> done) {
        return TestKafka.readUntil(topic, done, Duration.ofSeconds(30));
    }
}
