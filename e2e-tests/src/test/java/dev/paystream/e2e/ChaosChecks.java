package dev.paystream.e2e;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invariants of a fault-injection run (issue 17), checked after bench/LoadMix ran with RETRY=1 and
 * RECORD_DIR against a platform while faults were injected: what the load generator was told (acks.tsv),
 * the keys it sent (keys.tsv), the answers of 500 and above (answers-5xx.tsv), the requests it got no
 * answer to (no-answer.tsv) and the webhooks it received (webhooks.tsv) are compared with what the
 * platform shows through the gateway and with what is on Kafka. Every check is a figure; {@link Figures#violations()}
 * names those that must be zero and are not.
 */
final class ChaosChecks {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> TOPICS = List.of("paystream.payments.v1", "paystream.settlements.v1", "paystream.customers.v1",
            "paystream.invoices.v1");

    private final GatewayClient client;
    private final String adminKey;
    private final String kafkaBootstrap;
    private final Path recordDir;
    private final Map<String, String> merchant;

    ChaosChecks(GatewayClient client, String adminKey, String kafkaBootstrap, Path recordDir) {
        this.client = client;
        this.adminKey = adminKey;
        this.kafkaBootstrap = kafkaBootstrap;
        this.recordDir = recordDir;
        this.merchant = readMerchant(recordDir.resolve("merchant.txt"));
    }

    /** The figures of a run, in the order they are printed; {@code mustBeZero} names the invariants. */
    static final class Figures {
        final Map<String, Object> values = new LinkedHashMap<>();
        final Set<String> mustBeZero = new HashSet<>();
        final List<String> notes = new ArrayList<>();

        void count(String name, Object value) {
            values.put(name, value);
        }

        void invariant(String name, long value) {
            values.put(name, value);
            mustBeZero.add(name);
        }

        List<String> violations() {
            return mustBeZero.stream().filter(name -> ((Number) values.get(name)).longValue() != 0).sorted().toList();
        }

        String table() {
            StringBuilder out = new StringBuilder();
            values.forEach((name, value) -> out.append(String.format("%-62s %12s%s%n", name, value,
                    mustBeZero.contains(name) ? (((Number) value).longValue() == 0 ? "   ok" : "   VIOLATED") : "")));
            notes.forEach(note -> out.append("note: ").append(note).append('\n'));
            return out.toString();
        }
    }

    private record Event(String id, String type, long sequence, String aggregateId) {
    }

    /** Everything; {@code settleWithin} bounds the wait for the ledger, invoices and webhooks to catch up. */
    Figures check(Duration settleWithin) throws IOException, InterruptedException {
        Figures figures = new Figures();
        List<String[]> acks = readTsv("acks");
        List<String[]> keys = readTsv("keys");
        outageAnswers(figures);
        Map<String, List<String>> ackedByKind = new TreeMap<>();
        for (String[] ack : acks) {
            ackedByKind.computeIfAbsent(ack[0], kind -> new ArrayList<>()).add(ack[1]);
        }
        ackedByKind.forEach((kind, ids) -> figures.count("acknowledged " + kind + "s", ids.size()));

        long deadline = System.nanoTime() + settleWithin.toNanos();
        // The ledger, customer-service and webhook-service follow the topics: wait until they caught up, then count.
        Map<String, Long> difference = awaitBalances(deadline);
        List<JsonNode> payments = list("/v1/payments");
        List<JsonNode> payouts = list("/v1/payouts");
        acknowledgedExist(figures, acks, payments, payouts);
        nothingTwice(figures, keys, payments, payouts);
        Map<String, List<JsonNode>> refundsByPayment = refunds(keys);
        refundsWithinTheirKeys(figures, keys, refundsByPayment, payments);
        balances(figures, difference, payments, refundsByPayment);
        ledgerEntries(figures);
        parked(figures);
        invoices(figures, acks, deadline);

        Map<String, List<Event>> events = readTopics();
        kafkaHistories(figures, events, acks, payments, payouts);
        webhooks(figures, events, deadline);
        return figures;
    }

    // ----------------------------------------------------------------------------------------------
    // answers during the outages

    private void outageAnswers(Figures figures) throws IOException {
        List<String[]> errors = readTsv("answers-5xx");
        long served503 = errors.stream().filter(line -> line[2].equals("503")).count();
        long contracted = errors.stream().filter(line -> line[2].equals("503") && line[3].startsWith("application/problem+json")
                && !line[4].isEmpty()).count();
        figures.count("answers 503 (a dependency down)", served503);
        figures.invariant("answers 503 without problem+json or Retry-After", served503 - contracted);
        figures.invariant("answers 500", errors.stream().filter(line -> line[2].equals("500")).count());
        figures.invariant("answers 5xx other than 500 and 503", errors.stream().filter(line -> !line[2].equals("500") && !line[2].equals("503")).count());
        List<String[]> noAnswer = readTsv("no-answer");
        figures.invariant("requests without an answer within 30 s (hangs)", noAnswer.stream().filter(line -> line[2].equals("timeout")).count());
        figures.count("requests whose connection failed (retried)", noAnswer.stream().filter(line -> !line[2].equals("timeout")).count());
        errors.stream().filter(line -> !line[2].equals("503")).limit(5)
                .forEach(line -> figures.notes.add("5xx: " + String.join(" ", line)));
    }

    // ----------------------------------------------------------------------------------------------
    // acknowledged, once

    private void acknowledgedExist(Figures figures, List<String[]> acks, List<JsonNode> payments, List<JsonNode> payouts)
            throws IOException, InterruptedException {
        Set<String> paymentIds = ids(payments);
        Set<String> payoutIds = ids(payouts);
        long missing = 0;
        for (String[] ack : acks) {
            boolean found = switch (ack[0]) {
                case "payment" -> paymentIds.contains(ack[1]);
                case "payout" -> payoutIds.contains(ack[1]);
                case "refund" -> get("/v1/refunds/" + ack[1]).statusCode() == 200;
                case "capture" -> payments.stream().anyMatch(p -> p.get("id").asString().equals(ack[1]) && p.get("amount_captured").asLong() > 0);
                default -> true;
            };
            if (!found) {
                missing++;
                if (missing <= 5) {
                    figures.notes.add("acknowledged but not found: " + String.join(" ", ack));
                }
            }
        }
        figures.invariant("acknowledged payments, captures, refunds, payouts not found", missing);
    }

    private void nothingTwice(Figures figures, List<String[]> keys, List<JsonNode> payments, List<JsonNode> payouts) {
        Set<String> sent = keys.stream().map(line -> line[1]).collect(Collectors.toSet());
        figures.count("payments of the merchant", payments.size());
        figures.count("payouts of the merchant", payouts.size());
        figures.invariant("Idempotency-Keys with two payments", twice(payments));
        figures.invariant("Idempotency-Keys with two payouts", twice(payouts));
        long foreign = java.util.stream.Stream.concat(payments.stream(), payouts.stream())
                .filter(object -> !sent.contains(object.path("metadata").path("idempotency_key").asString(""))).count();
        figures.invariant("payments and payouts with a key never sent", foreign);
        long unacknowledged = payments.size() - keys.stream().filter(line -> line[0].equals("payment")).count();
        figures.count("payment keys sent but no payment (answer lost before any effect)", -unacknowledged);
    }

    private static long twice(List<JsonNode> objects) {
        return objects.stream().collect(Collectors.groupingBy(o -> o.path("metadata").path("idempotency_key").asString(""), Collectors.counting()))
                .values().stream().filter(count -> count > 1).count();
    }

    private Map<String, List<JsonNode>> refunds(List<String[]> keys) throws IOException, InterruptedException {
        Map<String, List<JsonNode>> refunds = new HashMap<>();
        for (String payment : keys.stream().filter(line -> line[0].equals("refund")).map(line -> line[2]).collect(Collectors.toSet())) {
            refunds.put(payment, list("/v1/refunds?payment_id=" + payment));
        }
        return refunds;
    }

    /** Refunds carry no metadata: per payment, no more refunds than keys sent for it, and never above what was captured. */
    private void refundsWithinTheirKeys(Figures figures, List<String[]> keys, Map<String, List<JsonNode>> refunds, List<JsonNode> payments) {
        Map<String, Long> keysPerPayment = keys.stream().filter(line -> line[0].equals("refund"))
                .collect(Collectors.groupingBy(line -> line[2], Collectors.counting()));
        Map<String, JsonNode> byId = payments.stream().collect(Collectors.toMap(p -> p.get("id").asString(), p -> p));
        long beyond = 0;
        long aboveCaptured = 0;
        long count = 0;
        for (Map.Entry<String, List<JsonNode>> entry : refunds.entrySet()) {
            count += entry.getValue().size();
            if (entry.getValue().size() > keysPerPayment.getOrDefault(entry.getKey(), 0L)) {
                beyond++;
            }
            long sum = entry.getValue().stream().mapToLong(refund -> refund.get("amount").asLong()).sum();
            JsonNode payment = byId.get(entry.getKey());
            if (payment != null && (sum > payment.get("amount_captured").asLong() || sum != payment.get("amount_refunded").asLong())) {
                aboveCaptured++;
            }
        }
        figures.count("refunds of the merchant", count);
        figures.invariant("payments with more refunds than refund keys", beyond);
        figures.invariant("payments whose refunds do not sum to amount_refunded (or exceed the capture)", aboveCaptured);
    }

    // ----------------------------------------------------------------------------------------------
    // ledger

    /** Waits until the ledger's merchant accounts equal GET /v1/balance (or the deadline); the differences per account and currency. */
    private Map<String, Long> awaitBalances(long deadline) throws IOException, InterruptedException {
        Map<String, Long> difference;
        do {
            difference = balanceDifference();
            if (difference.values().stream().allMatch(value -> value == 0)) {
                return difference;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        return difference;
    }

    private Map<String, Long> balanceDifference() throws IOException, InterruptedException {
        Map<String, Long> difference = new TreeMap<>();
        JsonNode balance = JSON.readTree(get("/v1/balance").body());
        for (String side : List.of("available", "pending")) {
            for (JsonNode amount : balance.path(side)) {
                difference.merge(side + " " + amount.get("currency").asString(), -amount.get("amount").asLong(), Long::sum);
            }
        }
        for (JsonNode account : JSON.readTree(get("/v1/ledger/balances").body()).path("data")) {
            String name = account.get("account").asString();
            if (name.equals("merchant_available") || name.equals("merchant_pending")) {
                difference.merge(name.substring("merchant_".length()) + " " + account.get("currency").asString(), account.get("balance").asLong(),
                        Long::sum);
            }
        }
        return difference;
    }

    private void balances(Figures figures, Map<String, Long> difference, List<JsonNode> payments, Map<String, List<JsonNode>> refunds)
            throws IOException, InterruptedException {
        JsonNode trial = JSON.readTree(client.send("GET", "/v1/ledger/trial-balance", adminKey, Map.of(), null).body());
        long unbalanced = 0;
        for (JsonNode currency : trial.path("currencies")) {
            if (currency.get("debits").asLong() != currency.get("credits").asLong()) {
                unbalanced++;
            }
        }
        figures.invariant("trial balance: currencies whose debits differ from credits", unbalanced + (trial.path("balanced").asBoolean(false) ? 0 : 1));
        long available = difference.entrySet().stream().filter(e -> e.getKey().startsWith("available")).mapToLong(e -> Math.abs(e.getValue())).sum();
        long pending = difference.entrySet().stream().filter(e -> e.getKey().startsWith("pending")).mapToLong(e -> Math.abs(e.getValue())).sum();
        figures.invariant("ledger merchant_available minus GET /v1/balance available (minor units)", available);
        // A refund of a payment settled earlier is in the ledger's merchant_pending at once, in
        // GET /v1/balance's pending only from the next batch (docs/api.md §9): a known difference.
        figures.count("ledger merchant_pending minus GET /v1/balance pending (minor units)", pending);
        long known = pending == 0 ? 0 : refundsOfSettledPaymentsNotYetBatched(payments, refunds);
        if (pending != 0) {
            figures.count("  refunds of settled payments not batched yet (the known difference)", known);
        }
        figures.invariant("pending difference not explained by the known refund case", pending == known ? 0 : pending);
    }

    private long refundsOfSettledPaymentsNotYetBatched(List<JsonNode> payments, Map<String, List<JsonNode>> refunds)
            throws IOException, InterruptedException {
        Set<String> batched = new HashSet<>();
        for (JsonNode settlement : list("/v1/settlements")) {
            String[] lines = get("/v1/settlements/" + settlement.get("id").asString() + "/file").body().split("\r?\n");
            int refundColumn = List.of(lines[0].split(",", -1)).indexOf("refund_id");
            for (String line : lines) {
                String[] columns = line.split(",", -1);
                if (refundColumn >= 0 && columns.length > refundColumn && columns[refundColumn].startsWith("re_")) {
                    batched.add(columns[refundColumn]);
                }
            }
        }
        Map<String, JsonNode> byId = payments.stream().collect(Collectors.toMap(p -> p.get("id").asString(), p -> p));
        long sum = 0;
        for (Map.Entry<String, List<JsonNode>> entry : refunds.entrySet()) {
            JsonNode payment = byId.get(entry.getKey());
            if (payment == null || payment.path("settlement_id").isNull() || payment.path("settlement_id").isMissingNode()) {
                continue;
            }
            for (JsonNode refund : entry.getValue()) {
                if (!batched.contains(refund.get("id").asString())) {
                    sum += refund.get("amount").asLong();
                }
            }
        }
        return sum;
    }

    private void ledgerEntries(Figures figures) throws IOException, InterruptedException {
        List<JsonNode> entries = list("/v1/ledger/entries");
        Map<String, Long> byEvent = entries.stream().collect(Collectors.groupingBy(entry -> entry.get("event_id").asString(), Collectors.counting()));
        figures.count("ledger entries of the merchant", entries.size());
        figures.invariant("ledger entries posted twice for one event", byEvent.values().stream().filter(count -> count > 1).count());
        long unbalanced = entries.stream().filter(entry -> {
            Map<String, Long> perCurrency = new HashMap<>();
            entry.get("lines").forEach(line -> perCurrency.merge(line.get("currency").asString(),
                    line.get("debit").asLong() - line.get("credit").asLong(), Long::sum));
            return perCurrency.values().stream().anyMatch(value -> value != 0);
        }).count();
        figures.invariant("ledger entries whose lines do not balance", unbalanced);
    }

    private void parked(Figures figures) throws IOException, InterruptedException {
        String merchantId = merchant.get("merchant_id");
        long parked = 0;
        for (String path : List.of("/v1/ledger/parked-events?status=parked&limit=100", "/v1/invoices/parked-events?status=parked&limit=100")) {
            HttpResponse<String> response = client.send("GET", path, adminKey, Map.of(), null);
            if (response.statusCode() != 200) {
                figures.notes.add(path + " answered " + response.statusCode());
                continue;
            }
            for (JsonNode event : JSON.readTree(response.body()).path("data")) {
                if (merchantId == null || merchantId.equals(event.path("merchant_id").asString(merchantId))) {
                    parked++;
                    figures.notes.add("parked: " + event.path("consumer").asString() + " " + event.path("event_type").asString() + " "
                            + event.path("failure_code").asString() + " " + event.path("failure_message").asString());
                }
            }
        }
        figures.invariant("events parked (ledger, invoices)", parked);
    }

    /** Each acknowledged invoice's amount_paid is what its captured payments less their refunds add up to (applied once each). */
    private void invoices(Figures figures, List<String[]> acks, long deadline) throws IOException, InterruptedException {
        List<String> invoiceIds = acks.stream().filter(line -> line[0].equals("invoice")).map(line -> line[1]).toList();
        long wrong;
        List<String> examples = new ArrayList<>();
        do {
            wrong = 0;
            examples.clear();
            for (String id : invoiceIds) {
                JsonNode invoice = JSON.readTree(get("/v1/invoices/" + id).body());
                // What customer-service applied, per payment, and what payment-service holds for the invoice.
                long applied = 0;
                for (JsonNode application : list("/v1/invoices/" + id + "/payments")) {
                    applied += application.path("amount_applied").asLong() - application.path("amount_reversed").asLong();
                }
                long captured = 0;
                for (JsonNode payment : list("/v1/payments?invoice_id=" + id)) {
                    captured += payment.path("amount_captured").asLong() - payment.path("amount_refunded").asLong();
                }
                long paid = invoice.path("amount_paid").asLong();
                if (paid != applied || paid != captured || paid > invoice.path("amount").asLong()) {
                    wrong++;
                    examples.add(id + " amount_paid " + paid + ", applied " + applied + ", payments captured less refunded " + captured);
                }
            }
            if (wrong == 0) {
                break;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        figures.count("invoices checked", invoiceIds.size());
        figures.invariant("invoices whose amount_paid is not their payments' captured less refunded", wrong);
        examples.stream().limit(3).forEach(example -> figures.notes.add("invoice: " + example));
    }

    // ----------------------------------------------------------------------------------------------
    // Kafka

    /** Every record of the four topics that belongs to the run's merchant, per aggregate (key), in the order of its partition. */
    private Map<String, List<Event>> readTopics() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        String merchantId = merchant.get("merchant_id");
        Map<String, List<Event>> events = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition, Duration.ofSeconds(30)) < end.get(partition))) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("Could not read the topics to their end within 3 minutes");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode envelope = JSON.readTree(record.value());
                    if (!Objects.equals(merchantId, envelope.path("merchant_id").asString(null))) {
                        continue;
                    }
                    String aggregate = envelope.path("aggregate_id").asString(record.key());
                    events.computeIfAbsent(aggregate, key -> new ArrayList<>()).add(new Event(envelope.get("id").asString(),
                            envelope.get("type").asString(), envelope.path("sequence").asLong(), aggregate));
                }
            }
        }
        return events;
    }

    private void kafkaHistories(Figures figures, Map<String, List<Event>> events, List<String[]> acks, List<JsonNode> payments,
                                List<JsonNode> payouts) throws IOException, InterruptedException {
        long records = events.values().stream().mapToLong(List::size).sum();
        long distinct = events.values().stream().flatMap(List::stream).map(Event::id).distinct().count();
        figures.count("events of the merchant on Kafka (records)", records);
        figures.count("  of which published again (same event id, at-least-once)", records - distinct);
        long outOfOrder = 0;
        for (List<Event> history : events.values()) {
            long next = 1;
            Set<String> seen = new HashSet<>();
            for (Event event : history) {
                if (!seen.add(event.id())) {
                    continue;
                }
                if (event.sequence() != next) {
                    outOfOrder++;
                    if (outOfOrder <= 3) {
                        figures.notes.add("out of order or gap: " + event + " expected sequence " + next);
                    }
                    break;
                }
                next++;
            }
        }
        figures.invariant("aggregates whose events are not in sequence order without gap", outOfOrder);

        // Each acknowledged payment's whole history, as payment-service's event store has it, is on Kafka in that order.
        long incomplete = 0;
        Set<String> acknowledged = acks.stream().filter(line -> line[0].equals("payment")).map(line -> line[1]).collect(Collectors.toSet());
        for (String paymentId : acknowledged) {
            List<String> stored = new ArrayList<>();
            for (JsonNode envelope : JSON.readTree(get("/v1/payments/" + paymentId + "/events").body()).path("data")) {
                stored.add(envelope.get("id").asString());
            }
            List<String> published = events.getOrDefault(paymentId, List.of()).stream().map(Event::id).distinct().toList();
            if (stored.isEmpty() || !stored.equals(published)) {
                incomplete++;
                if (incomplete <= 3) {
                    figures.notes.add("history of " + paymentId + ": stored " + stored.size() + " events, on Kafka " + published.size());
                }
            }
        }
        figures.invariant("acknowledged payments whose stored history is not on Kafka in order", incomplete);

        Map<String, String> payoutStatus = payouts.stream().collect(Collectors.toMap(p -> p.get("id").asString(), p -> p.get("status").asString()));
        long payoutIncomplete = 0;
        for (String[] ack : acks) {
            if (!ack[0].equals("payout")) {
                continue;
            }
            List<String> types = events.getOrDefault(ack[1], List.of()).stream().map(Event::type).distinct().toList();
            String status = payoutStatus.getOrDefault(ack[1], "?");
            boolean whole = types.contains("payout.created") && switch (status) {
                case "paid" -> types.contains("payout.paid");
                case "failed" -> types.contains("payout.failed");
                default -> true;
            };
            if (!whole) {
                payoutIncomplete++;
                figures.notes.add("payout " + ack[1] + " " + status + " has on Kafka " + types);
            }
        }
        figures.invariant("acknowledged payouts whose events are not all on Kafka", payoutIncomplete);
        figures.count("payouts still pending at the check", payoutStatus.values().stream().filter("pending"::equals).count());
        figures.count("payments still processing at the check", payments.stream().filter(p -> p.get("status").asString().equals("processing")).count());
    }

    // ----------------------------------------------------------------------------------------------
    // webhooks

    /** Every event of the merchant on Kafka reached the receiver (answered 200) with a signature the Standard Webhooks library makes too. */
    private void webhooks(Figures figures, Map<String, List<Event>> events, long deadline) throws IOException, InterruptedException {
        Set<String> expected = events.values().stream().flatMap(List::stream).map(Event::id).collect(Collectors.toSet());
        Webhook webhook;
        try {
            webhook = new Webhook(merchant.get("endpoint_secret"));
        } catch (RuntimeException | com.standardwebhooks.exceptions.EmptyWebhookSecretException unusable) {
            throw new IllegalStateException("The endpoint secret cannot be used", unusable);
        }
        Set<String> delivered;
        long invalid;
        long received;
        Map<String, Long> successes;
        while (true) {
            delivered = new HashSet<>();
            invalid = 0;
            successes = new HashMap<>();
            List<String[]> webhooks = readTsv("webhooks");
            received = webhooks.size();
            for (String[] line : webhooks) {
                // answer, webhook-id, webhook-timestamp, webhook-signature, body (base64): bench/LoadMix's webhooks.tsv.
                String body = new String(Base64.getDecoder().decode(line.length > 4 ? line[4] : ""), StandardCharsets.UTF_8);
                if (!validSignature(webhook, line[1], line[2], line[3], body)) {
                    invalid++;
                    continue;
                }
                if (line[0].equals("200")) {
                    delivered.add(line[1]);
                    successes.merge(line[1], 1L, Long::sum);
                }
            }
            if (delivered.containsAll(expected) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(2000);
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(delivered);
        figures.count("webhook requests received (200 and 500 answers)", received);
        figures.invariant("webhook requests with an invalid signature", invalid);
        figures.invariant("events on Kafka never delivered to the endpoint", missing.size());
        figures.count("events delivered more than once (at-least-once)", successes.values().stream().filter(count -> count > 1).count());
        missing.stream().limit(3).forEach(id -> figures.notes.add("not delivered: " + id));
        JsonNode failed = JSON.readTree(get("/v1/webhook-deliveries?status=failed&limit=100").body()).path("data");
        figures.invariant("webhook deliveries given up (failed)", failed.size());
    }

    /** Compares each signature of webhook-signature with the one the Standard Webhooks library computes (its verify() also rejects a timestamp older than 5 minutes: a check made after a long run must not). */
    private static boolean validSignature(Webhook webhook, String id, String timestamp, String signatures, String body) {
        try {
            String expected = webhook.sign(id, Long.parseLong(timestamp), body);
            for (String signature : signatures.split(" ")) {
                if (signature.equals(expected)) {
                    return true;
                }
            }
            return false;
        } catch (WebhookSigningException | NumberFormatException unusable) {
            return false;
        }
    }

    // ----------------------------------------------------------------------------------------------
    // reading

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send("GET", path, merchant.get("api_key"), Map.of(), null);
    }

    /** Every element of a cursor-paginated list (CONTRACT §1). */
    private List<JsonNode> list(String path) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        while (true) {
            String page = path + (path.contains("?") ? "&" : "?") + "limit=100" + (after == null ? "" : "&starting_after=" + after);
            HttpResponse<String> response = get(page);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + page + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode body = JSON.readTree(response.body());
            body.path("data").forEach(all::add);
            if (!body.path("has_more").asBoolean(false) || body.path("data").isEmpty()) {
                return all;
            }
            // An invoice's payments are listed by payment_id; every other list by id.
            JsonNode last = body.path("data").get(body.path("data").size() - 1);
            after = (last.has("id") ? last.get("id") : last.get("payment_id")).asString();
        }
    }

    private static Set<String> ids(List<JsonNode> objects) {
        return objects.stream().map(object -> object.get("id").asString()).collect(Collectors.toSet());
    }

    private List<String[]> readTsv(String name) throws IOException {
        Path file = recordDir.resolve(name + ".tsv");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(line -> line.split("\t", -1)).toList();
    }

    private static Map<String, String> readMerchant(Path file) {
        try {
            Map<String, String> values = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    values.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            return values;
        } catch (IOException failure) {
            throw new UncheckedIOException("The load generator wrote no " + file, failure);
        }
    }
}
