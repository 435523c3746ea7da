package dev.paystream.ledger.support;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import dev.paystream.events.Topics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events as payment-service publishes them (payments, payouts, settlements): the shared-events envelope
 * around the JSON of CONTRACT §11, each on its topic. Every id is fresh, so tests never see each other's events.
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

    public static String newPayoutId() {
        return "po_" + randomHex();
    }

    public static String newSettlementId() {
        return "st_" + randomHex();
    }

    /** {@code payment.settled}: the payment's capture of {@code amount} was settled in {@code settlementId} with {@code fee}. */
    public static TestEvent settled(String merchantId, String paymentId, String settlementId, long amount, long fee, String currency,
                                    Instant occurredAt) {
        Map<String, Object> payment = payment(paymentId, "captured", amount, 0, amount, 0, currency, occurredAt);
        payment.put("settlement_id", settlementId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("settlement_id", settlementId);
        data.put("amount", amount);
        data.put("fee_amount", fee);
        data.put("net_amount", amount - fee);
        data.put("currency", currency);
        data.put("payment", payment);
        return event(EventTypes.PAYMENT_SETTLED, 1, merchantId, paymentId, occurredAt, data);
    }

    /** {@code settlement.completed} with these totals; {@code net = gross - refunded - fee}. */
    public static TestEvent settlementCompleted(String merchantId, String settlementId, long paymentCount, long refundCount, long gross,
                                                long refunded, long fee, String currency, Instant occurredAt) {
        Map<String, Object> settlement = new LinkedHashMap<>();
        settlement.put("id", settlementId);
        settlement.put("currency", currency);
        settlement.put("status", "completed");
        settlement.put("payment_count", paymentCount);
        settlement.put("refund_count", refundCount);
        settlement.put("gross_amount", gross);
        settlement.put("refunded_amount", refunded);
        settlement.put("fee_amount", fee);
        settlement.put("net_amount", gross - refunded - fee);
        settlement.put("created_at", occurredAt.toString());
        Map<String, Object> data = new LinkedHashMap<>(settlement);
        data.remove("id");
        data.remove("status");
        data.remove("created_at");
        data.put("settlement", settlement);
        return event(EventTypes.SETTLEMENT_COMPLETED, 1, merchantId, settlementId, occurredAt, data);
    }

    /** {@code payout.created}, {@code payout.paid} or {@code payout.failed} of a payout of {@code amount}. */
    public static TestEvent payout(String type, String merchantId, String payoutId, long amount, String currency, Instant occurredAt) {
        String status = switch (type) {
            case EventTypes.PAYOUT_CREATED -> "pending";
            case EventTypes.PAYOUT_PAID -> "paid";
            case EventTypes.PAYOUT_FAILED -> "failed";
            default -> throw new IllegalArgumentException(type + " is not a payout event");
        };
        String failureCode = status.equals("failed") ? "account_closed" : null;
        Map<String, Object> payout = new LinkedHashMap<>();
        payout.put("id", payoutId);
        payout.put("status", status);
        payout.put("customer_id", "unixuser1");
        payout.put("amount", amount);
        payout.put("currency", currency);
        payout.put("method", "bank_transfer");
        payout.put("description", null);
        payout.put("metadata", Map.of());
        payout.put("failure_code", failureCode);
        payout.put("created_at", occurredAt.toString());
        payout.put("updated_at", occurredAt.toString());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("amount", amount);
        data.put("currency", currency);
        if (failureCode != null) {
            data.put("failure_code", failureCode);
        }
        data.put("payout", payout);
        return event(type, 1, merchantId, payoutId, occurredAt, data);
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

    /**
     * An event of any type and version, with any data serialized as it is, on its topic: {@code settlement.*}
     * on {@code paystream.settlements.v1}, everything else on {@code paystream.payments.v1}.
     */
    public static TestEvent event(String type, int version, String merchantId, String aggregateId, Instant occurredAt, Object data) {
        String id = "evt_" + randomHex();
        EventEnvelope<Object> envelope = new EventEnvelope<>(id, type, version, aggregateId, 1, merchantId, occurredAt, data);
        String topic = type.startsWith("settlement.") ? Topics.SETTLEMENTS : Topics.PAYMENTS;
        return new TestEvent(topic, id, type, aggregateId, MAPPER.writeValueAsString(envelope));
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
