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
        Map<String, Object> payment = payment(paymentId, "authorized", amount, amount, 0, 0, currency, occurredAt);
        return event(EventTypes.PAYMENT_AUTHORIZED, 1, merchantId, paymentId, occurredAt,
                Map.of("amount", amount, "currency", currency, "payment", payment));
    }

    public static TestEvent captured(String merchantId, String paymentId, long amount, String currency, Instant occurredAt) {
        Map<String, Object> payment = payment(paymentId, "captured", amount, 0, amount, 0, currency, occurredAt);
        return event(EventTypes.PAYMENT_CAPTURED, 1, merchantId, paymentId, occurredAt,
                Map.of("amount", amount, "currency", currency, "payment", payment));
    }

    /**
     * One refund of {@code amount} of a payment that captured {@code captured}; {@code refundedSoFar}
     * is the payment's running total of refunds, this one included.
     */
    public static TestEvent refunded(String merchantId, String paymentId, long captured, long amount, long refundedSoFar,
                                     String currency, Instant occurredAt) {
        String status = refundedSoFar < captured ? "partially_refunded" : "refunded";
        Map<String, Object> payment = payment(paymentId, status, captured, 0, captured, refundedSoFar, currency, occurredAt);
        Map<String, Object> refund = new LinkedHashMap<>();
        refund.put("id", "re_" + randomHex());
        refund.put("payment_id", paymentId);
        refund.put("amount", amount);
        refund.put("currency", currency);
        refund.put("reason", "requested_by_customer");
        refund.put("status", "succeeded");
        refund.put("created_at", occurredAt.toString());
        return event(EventTypes.PAYMENT_REFUNDED, 1, merchantId, paymentId, occurredAt,
                Map.of("amount", amount, "currency", currency, "refund", refund, "payment", payment));
    }

    /**
     * An event of a payment that never captured money ({@code payment.processing}, {@code .declined},
     * {@code .failed}, {@code .canceled}), with the data members its v1 contract has.
     */
    public static TestEvent withoutCapture(String type, String merchantId, String paymentId, long amount, String currency,
                                           Instant occurredAt) {
        String status = switch (type) {
            case EventTypes.PAYMENT_PROCESSING -> "processing";
            case EventTypes.PAYMENT_DECLINED -> "declined";
            case EventTypes.PAYMENT_FAILED -> "failed";
            case EventTypes.PAYMENT_CANCELED -> "canceled";
            default -> throw new IllegalArgumentException(type + " is not an outcome without a capture");
        };
        Map<String, Object> payment = payment(paymentId, status, amount, 0, 0, 0, currency, occurredAt);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("amount", amount);
        data.put("currency", currency);
        if (type.equals(EventTypes.PAYMENT_DECLINED)) {
            data.put("decline_code", "card_declined");
            payment.put("decline_code", "card_declined");
        }
        if (type.equals(EventTypes.PAYMENT_FAILED)) {
            data.put("failure_code", "processing_error");
            payment.put("failure_code", "processing_error");
        }
        data.put("payment", payment);
        return event(type, 1, merchantId, paymentId, occurredAt, data);
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
                                               long refunded, String currency, Instant occurredAt) {
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("id", paymentId);
        payment.put("status", status);
        payment.put("amount", amount);
        payment.put("amount_capturable", capturable);
        payment.put("amount_captured", captured);
        payment.put("amount_refunded", refunded);
        payment.put("currency", currency);
        payment.put("payment_method", "card");
        payment.put("card", Map.of("brand", "visa", "last4", "4242", "exp_month", 12, "exp_year", 2030));
        payment.put("customer_id", "unixuser1");
        payment.put("invoice_id", null);
        payment.put("description", "Order #123");
        payment.put("metadata", Map.of("order_id", "123"));
        payment.put("auth_code", "A1B2C3");
        payment.put("decline_code", null);
        payment.put("failure_code", null);
        payment.put("settlement_id", null);
        payment.put("created_at", occurredAt.toString());
        payment.put("updated_at", occurredAt.toString());
        return payment;
    }

    private static String randomHex() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
