package dev.paystream.customer.support;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import dev.paystream.events.Topics;
import dev.paystream.events.v1.CardV1;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.events.v1.PaymentV1;
import dev.paystream.events.v1.RefundV1;
import dev.paystream.testsupport.TestKafka;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real {@code paystream.payments.v1} topic of the shared test broker, as payment-service publishes
 * to it: v1 envelopes of captures and refunds of payments that name an invoice, keyed by payment id.
 */
public final class PaymentsTopic {

    private static final JsonMapper JSON = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    /** A record as payment-service would publish it. */
    public record PaymentEvent(String id, String type, String key, String value) {
    }

    private PaymentsTopic() {
    }

    public static String newPaymentId() {
        return "pay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** The {@code payment.captured} of {@code amount} by card payment {@code paymentId} of {@code merchantId}, naming {@code invoiceId}. */
    public static PaymentEvent captured(String merchantId, String paymentId, String invoiceId, long amount, String currency) {
        PaymentV1 payment = payment(paymentId, invoiceId, amount, currency, amount, 0, "captured");
        return event(merchantId, paymentId, EventTypes.PAYMENT_CAPTURED, 2, new PaymentCapturedV1(amount, currency, payment));
    }

    /** The {@code payment.refunded} of {@code amount} of a payment that captured {@code captured} and refunded {@code refundedBefore} before. */
    public static PaymentEvent refunded(String merchantId, String paymentId, String invoiceId, String refundId, long amount, String currency,
                                        long captured, long refundedBefore) {
        long refunded = refundedBefore + amount;
        PaymentV1 payment = payment(paymentId, invoiceId, captured, currency, captured, refunded,
                refunded == captured ? "refunded" : "partially_refunded");
        RefundV1 refund = new RefundV1(refundId, paymentId, amount, currency, "requested_by_customer", "succeeded", now());
        return event(merchantId, paymentId, EventTypes.PAYMENT_REFUNDED, 3, new PaymentRefundedV1(amount, currency, refund, payment));
    }

    /** Publishes {@code event} and returns where the broker stored it. */
    public static RecordMetadata publish(PaymentEvent event) {
        return TestKafka.publish(Topics.PAYMENTS, event.key(), event.id(), event.type(), event.value());
    }

    private static PaymentV1 payment(String paymentId, String invoiceId, long amount, String currency, long captured, long refunded,
                                     String status) {
        Instant at = now();
        return new PaymentV1(paymentId, status, amount, 0, captured, refunded, currency, "card", new CardV1("visa", "4242", 12, 2030),
                null, invoiceId, null, Map.of(), "A1B2C3", null, null, null, at, at);
    }

    private static PaymentEvent event(String merchantId, String paymentId, String type, long sequence, Object data) {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        EventEnvelope<Object> envelope = new EventEnvelope<>(id, type, 1, paymentId, sequence, merchantId, now(), data);
        return new PaymentEvent(id, type, paymentId, JSON.writeValueAsString(envelope));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
