package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./paystream up} warms the services before it returns (issue 19, deploy/warmup/WarmUp.java):
 * a throwaway merchant's payments, refused for one metadata key too many before anything is recorded,
 * and reads it has nothing to show for; then its key is revoked and the merchant deleted. Whatever it
 * did must be invisible to the people who then use the platform: the shared platform's own {@code up}
 * ran it (for {@code PAYSTREAM_WARMUP_SECONDS}, a few seconds here, through the same paths as the
 * default 20 s), and this test looks for it afterwards in the API, in every table of every service's
 * database, and in every record of every public topic.
 */
@ExtendWith(Platform.Shared.class)
class WarmUpEndToEndTest {

    /** WarmUp.java's line on up's output, naming the merchant it made and deleted. */
    private static final Pattern WARMED = Pattern.compile("requests in \\d+s.*throwaway merchant, (mer_[0-9A-Za-z]+), now deleted");
    /** Every warm-up request carries {@code X-Request-Id: warmup-<run>-<n>} and writes carry an {@code Idempotency-Key: warmup-<hex>}. */
    private static final String WARM_UP_MARK = "warmup-";
    private static Platform platform;

    @BeforeAll
    static void platform(Platform started) {
        platform = started;
    }

    @Test
    void theWarmUpOfPaystreamUpLeavesNoMerchantKeyRowOrEventAUserCouldSee() throws Exception {
        List<String> merchants = new ArrayList<>();
        for (String printed : platform.upOutputs()) {
            Matcher warmed = WARMED.matcher(printed);
            while (warmed.find()) {
                merchants.add(warmed.group(1));
            }
        }
        assertThat(merchants).as("warm-up merchants named by ./paystream up:\n%s", String.join("\n-----\n", platform.upOutputs())).isNotEmpty();

        List<String> marks = new ArrayList<>(merchants);
        marks.add(WARM_UP_MARK);
        List<String> leftBehind = new ArrayList<>();
        for (String merchant : merchants) {
            HttpResponse<String> shown = platform.client().send("GET", "/v1/merchants/" + merchant, platform.adminKey(), Map.of(), null);
            if (shown.statusCode() != 404) {
                leftBehind.add("GET /v1/merchants/" + merchant + " (admin key) answered " + shown.statusCode() + ": " + shown.body());
            }
        }
        for (String line : Platform.registry()) {
            String database = line.trim().split("\\s+")[2];
            leftBehind.addAll(rowsMentioning(database, marks));
        }
        for (String topic : publicTopics()) {
            leftBehind.addAll(recordsMentioning(topic, marks));
        }

        assertThat(leftBehind).as("what the warm-up of %s left behind", merchants).isEmpty();
    }

    /** Every table of {@code database} (every schema but PostgreSQL's own): the rows whose text holds one of {@code marks}. */
    private static List<String> rowsMentioning(String database, List<String> marks) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = platform.connectToDatabase(database)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.createStatement().executeQuery(
                    "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables"
                            + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            assertThat(tables).as("tables of %s", database).isNotEmpty();
            for (String table : tables) {
                for (String mark : marks) {
                    try (PreparedStatement rows = connection.prepareStatement("SELECT t::text FROM " + table + " t WHERE strpos(t::text, ?) > 0 LIMIT 3")) {
                        rows.setString(1, mark);
                        try (ResultSet row = rows.executeQuery()) {
                            while (row.next()) {
                                found.add(database + " " + table + ": " + row.getString(1));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The topics the services publish (services.conf, fourth column). */
    private static List<String> publicTopics() {
        return Platform.registry().stream().map(line -> line.trim().split("\\s+"))
                .filter(columns -> columns.length > 3 && !columns[3].equals("-"))
                .flatMap(columns -> Arrays.stream(columns[3].split(","))).distinct().toList();
    }

    /** The records of {@code topic} from its beginning to its end now whose key, value or a header holds one of {@code marks}. */
    private static List<String> recordsMentioning(String topic, List<String> marks) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "warm-up-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            assertThat(partitions).as("partitions of %s", topic).isNotEmpty();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey(), Duration.ofSeconds(30)) < end.getValue())) {
                assertThat(System.nanoTime()).as("%s read to its end %s within 60 s", topic, ends).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder text = new StringBuilder();
                    text.append(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8)).append(' ')
                            .append(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
                    for (Header header : record.headers()) {
                        text.append(' ').append(header.key()).append('=').append(header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
                    }
                    if (marks.stream().anyMatch(mark -> text.indexOf(mark) >= 0)) {
                        found.add(topic + " " + record.partition() + "@" + record.offset() + ": " + text);
                    }
                }
            }
        }
        return found;
    }
}
