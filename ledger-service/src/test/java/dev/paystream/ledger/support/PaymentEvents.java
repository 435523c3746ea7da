package dev.paystream.ledger.support;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payment events as payment-service publishes them: the shared-events envelope around the JSON of
 * CONTRACT §11. Every id is fresh, so tests never see each other's events.
 */
public final class PaymentEvents {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private PaymentEvents() {
    }

    public static String newMerchantId() {
        return "mer_" + randomHex();
    }

    public static String newPaymentId() {
        return "pay_" + randomHex();
    }

    public static TestEvent authorized(String merchantId, String paymentId, long amount, String currency, Instant occurredAt) {
        Map<String, Object> payment = payment(paymentId, "authorized", amount, amount, 0, currency, occurredAt);
        return event(EventTypes.PAYMENT_AUTHORIZED, 1, merchantId, paymentId, occurredAt,
                Map.of("amount", amount, "currency", currency, "payment", payment));
    }

    public static TestEvent captured(String merchantId, String paymentId, long amount, String currency, Instant occurredAt) {
        Map<String, Object> payment = payment(paymentId, "captured", amount, 0, amount, currency, occurredAt);
        return event(EventTypes.PAYMENT_CAPTURED, 1, merchantId, paymentId, occurredAt,
                Map.of("amount", amount, "currency", currency, "payment", payment));
    }

    /** An event of any type and version, with any data serialized as it is. */
    public static TestEvent event(String type, int version, String merchantId, String aggregateId, Instant occurredAt, Object data) {
        String id = "evt_" + randomHex();
        EventEnvelope<Object> envelope = new EventEnvelope<>(id, type, version, aggregateId, 1, merchantId, occurredAt, data);
        return new TestEvent(id, type, aggregateId, MAPPER.writeValueAsString(envelope));
    }

    /**
     * The payment of CONTRACT §5 as JSON members rather than a {@code PaymentV1}: members are added to it
     * within v1, and these events must keep compiling and keep carrying members the ledger does not read.
     */
    private static Map<String, Object> payment(String paymentId, String status, long amount, long capturable, long captured,
                                               String currency, Instant occurredAt) {
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("id", paymentId);
        payment.put("status", status);
        payment.put("amount", amount);
        payment.put("amount_capturable", capturable);
        payment.put("amount_captured", captured);
        payment.put("amount_refunded", 0);
        payment.put("currency", currency);
        payment.put("payment_method", "card");
        payment.put("card", Map.of("brand", "visa", "last4", "4242", "exp_month", 12, "exp_year", 2030));
        payment.put("customer_id", "unixuser1");
        payment.put("invoice_id", null);
        payment.put("description", "Order #123");
        payment.put("metadata", Map.of("order_id", "123"));
        payment.put("auth_code", "A1B2C3");
        payment.put("decline_code", null);
        payment.put("settlement_id", null);
        payment.put("created_at", occurredAt.toString());
        payment.put("updated_at", occurredAt.toString());
        return payment;
    }

    private static String randomHex() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
