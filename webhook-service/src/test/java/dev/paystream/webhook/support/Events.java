package dev.paystream.webhook.support;

import dev.paystream.events.Topics;
import dev.paystream.testsupport.TestKafka;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Events of CONTRACT §11 as the services publish them, sent to the test broker. */
public final class Events {

    private static KafkaProducer<String, String> producer;

    private Events() {
    }

    /** An event as it goes on the wire. */
    public record Event(String id, String type, String topic, String key, String json) {
    }

    public static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    public static String newPaymentId() {
        return "pay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    public static Event paymentCaptured(String merchantId) {
        return payment("payment.captured", merchantId, newPaymentId(), newEventId());
    }

    /** A payment event of {@code type}, carrying the payment (and for a refund, the refund) in its data. */
    public static Event payment(String type, String merchantId, String paymentId, String eventId) {
        String payment = """
                {"id":"%s","status":"captured","amount":5000,"amount_capturable":0,"amount_captured":5000,"amount_refunded":0,
                 "currency":"USD","payment_method":"card","card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030},
                 "customer_id":null,"invoice_id":null,"auth_code":"A1B2C3","settlement_id":null,
                 "created_at":"2026-11-23T18:30:00Z","updated_at":"2026-11-23T18:30:00Z"}""".formatted(paymentId);
        String refund = type.equals("payment.refunded")
                ? ",\"refund\":{\"id\":\"re_" + eventId.substring(4) + "\",\"payment_id\":\"" + paymentId
                + "\",\"amount\":1000,\"currency\":\"USD\",\"status\":\"succeeded\",\"created_at\":\"2026-11-23T18:35:00Z\"}"
                : "";
        String json = """
                {"id":"%s","type":"%s","version":1,"aggregate_id":"%s","sequence":2,"merchant_id":"%s","occurred_at":"2026-11-23T18:30:00.123Z",
                 "data":{"amount":5000,"currency":"USD","payment":%s%s}}""".formatted(eventId, type, paymentId, merchantId, payment, refund);
        return new Event(eventId, type, Topics.PAYMENTS, paymentId, json);
    }

    /** A settlement's event on its own topic. */
    public static Event settlementCompleted(String merchantId) {
        String id = newEventId();
        String settlementId = "st_" + id.substring(4);
        String json = """
                {"id":"%s","type":"settlement.completed","version":1,"aggregate_id":"%s","sequence":1,"merchant_id":"%s",
                 "occurred_at":"2026-11-24T00:00:00Z","data":{"settlement":{"id":"%s","currency":"USD","status":"completed","net_amount":4825}}}"""
                .formatted(id, settlementId, merchantId, settlementId);
        return new Event(id, "settlement.completed", Topics.SETTLEMENTS, settlementId, json);
    }

    public static void publish(Event... events) {
        for (Event event : events) {
            try {
                producer().send(new ProducerRecord<>(event.topic(), event.key(), event.json())).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException failure) {
                throw new IllegalStateException("could not publish " + event.id(), failure);
            }
        }
    }

    /**
     * Publishes {@code events} with the {@code ce_id} and {@code ce_type} headers the services' outbox relay
     * writes, so that the fan-out may skip an event of a type nobody subscribes to without reading it.
     * ({@link #publish} sends none: every event is read, whatever other tests' endpoints subscribe to.)
     */
    public static void publishWithTypeHeaders(Event... events) {
        for (Event event : events) {
            TestKafka.publish(event.topic(), event.key(), event.id(), event.type(), event.json());
        }
    }

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
            Runtime.getRuntime().addShutdownHook(new Thread(producer::close, "stop-test-producer"));
        }
        return producer;
    }
}
