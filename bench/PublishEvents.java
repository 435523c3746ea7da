import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes payment events straight to paystream.payments.v1, as payment-service's relay does (the
 * envelope of CONTRACT §11, key = payment id, headers ce_id and ce_type, occurred_at = now), at a
 * steady rate: load for webhook-service alone, without the rest of the platform competing for the
 * cores. Each payment gives two events, payment.authorized then payment.captured.
 *
 * <pre>
 * java -cp ".paystream/lib/kafka/*" bench/PublishEvents.java BOOTSTRAP EVENTS_PER_S SECONDS MERCHANT_ID...
 * </pre>
 * A merchant id {@code random} stands for a new, random merchant per payment (one nobody subscribed for).
 * Prints the events published.
 */
public class PublishEvents {

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PublishEvents BOOTSTRAP EVENTS_PER_S SECONDS MERCHANT_ID...");
            System.exit(2);
        }
        String bootstrap = args[0];
        double rate = Double.parseDouble(args[1]);
        double seconds = Double.parseDouble(args[2]);
        List<String> merchants = List.of(args).subList(3, args.length);
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1);
        long total = (long) (rate * seconds) / 2 * 2;
        long started = System.nanoTime();
        long sent = 0;
        List<Future<RecordMetadata>> inFlight = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            while (sent < total) {
                double elapsed = (System.nanoTime() - started) / 1e9;
                long due = Math.min(total, (long) (elapsed * rate) / 2 * 2);
                while (sent < due) {
                    String merchant = merchants.get(ThreadLocalRandom.current().nextInt(merchants.size()));
                    if (merchant.equals("random")) {
                        merchant = "mer_" + hex(24);
                    }
                    String paymentId = "pay_" + hex(24);
                    String now = java.time.Instant.now().toString();
                    for (String type : List.of("payment.authorized", "payment.captured")) {
                        String eventId = "evt_" + hex(24);
                        String json = envelope(eventId, type, paymentId, merchant, now);
                        ProducerRecord<String, String> record = new ProducerRecord<>("paystream.payments.v1", paymentId, json);
                        record.headers().add("ce_id", eventId.getBytes()).add("ce_type", type.getBytes());
                        inFlight.add(producer.send(record));
                        sent++;
                    }
                }
                if (inFlight.size() > 10_000) {
                    for (Future<RecordMetadata> future : inFlight) {
                        future.get(30, TimeUnit.SECONDS);
                    }
                    inFlight.clear();
                }
                Thread.sleep(2);
            }
            producer.flush();
            for (Future<RecordMetadata> future : inFlight) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        System.out.printf("published=%d seconds=%.1f%n", sent, (System.nanoTime() - started) / 1e9);
    }

    private static String envelope(String eventId, String type, String paymentId, String merchant, String now) {
        boolean captured = type.equals("payment.captured");
        return "{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"version\":1,\"aggregate_id\":\"" + paymentId + "\",\"sequence\":"
                + (captured ? 2 : 1) + ",\"merchant_id\":\"" + merchant + "\",\"occurred_at\":\"" + now + "\",\"data\":{\"amount\":5000,"
                + "\"currency\":\"USD\",\"payment\":{\"id\":\"" + paymentId + "\",\"status\":\"" + (captured ? "captured" : "authorized")
                + "\",\"amount\":5000,\"amount_capturable\":" + (captured ? 0 : 5000) + ",\"amount_captured\":" + (captured ? 5000 : 0)
                + ",\"amount_refunded\":0,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"brand\":\"visa\",\"last4\":\"4242\","
                + "\"exp_month\":12,\"exp_year\":2030},\"customer_id\":null,\"invoice_id\":null,\"description\":null,\"metadata\":{},"
                + "\"auth_code\":\"VV5RJB\",\"decline_code\":null,\"failure_code\":null,\"settlement_id\":null,\"created_at\":\"" + now
                + "\",\"updated_at\":\"" + now + "\"}}}";
    }

    private static String hex(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, Math.min(length, 32));
    }
}
