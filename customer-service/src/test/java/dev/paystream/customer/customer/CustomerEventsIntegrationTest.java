package dev.paystream.customer.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.customer.support.CustomerServiceTest;
import dev.paystream.events.RecordHeaders;
import dev.paystream.events.Topics;
import dev.paystream.testsupport.EventSchemas;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/** customer.created and customer.updated on paystream.customers.v1, as a consumer reads them. */
class CustomerEventsIntegrationTest extends CustomerServiceTest {

    @Test
    void aCustomersChangesArePublishedInOrderWithTheirSchemasAndWhatAProjectionNeeds() {
        String merchant = newMerchantId();
        post(merchant, "/v1/customers", Map.of("customer_id", "evented", "email", "first@example.com")).expectStatus().isCreated();
        patch(merchant, "/v1/customers/evented", Map.of("name", "Jane")).expectStatus().isOk();
        // Nothing changes: nothing is announced, so the next change is still sequence 3.
        patch(merchant, "/v1/customers/evented", Map.of("name", "Jane")).expectStatus().isOk();
        patch(merchant, "/v1/customers/evented", Map.of("email", "second@example.com", "metadata", Map.of("plan", "gold")))
                .expectStatus().isOk();

        List<ConsumerRecord<String, String>> records = customerRecords(merchant, "evented", 3);

        assertThat(records).hasSize(3).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo("evented");
            JsonNode envelope = JSON.readTree(record.value());
            assertThat(header(record, RecordHeaders.EVENT_ID)).isEqualTo(envelope.get("id").asString());
            assertThat(header(record, RecordHeaders.EVENT_TYPE)).isEqualTo(envelope.get("type").asString());
            assertThat(EventSchemas.violations(envelope.get("type").asString(), record.value())).isEmpty();
        });
        List<JsonNode> envelopes = records.stream().map(record -> JSON.readTree(record.value())).toList();
        assertThat(envelopes).extracting(envelope -> envelope.get("type").asString())
                .containsExactly("customer.created", "customer.updated", "customer.updated");
        assertThat(envelopes).extracting(envelope -> envelope.get("sequence").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(envelopes.get(0).at("/data/customer/email").asString()).isEqualTo("first@example.com");
        assertThat(envelopes.get(1).at("/data/updated_fields").toString()).isEqualTo("[\"name\"]");
        assertThat(envelopes.get(2).at("/data/updated_fields").toString()).isEqualTo("[\"email\",\"metadata\"]");
        JsonNode last = envelopes.get(2).at("/data/customer");
        assertThat(last.get("email").asString()).isEqualTo("second@example.com");
        assertThat(last.get("name").asString()).isEqualTo("Jane");
        assertThat(last.get("metadata").get("plan").asString()).isEqualTo("gold");
        assertThat(getJson(merchant, "/v1/customers/evented")).isEqualTo(last);
    }

    @Test
    void theSameCustomerIdOfTwoMerchantsIsTwoCustomersOnTheTopic() {
        String merchant = newMerchantId();
        String other = newMerchantId();
        aCustomer(merchant, "shared-id");
        aCustomer(other, "shared-id");

        assertThat(customerRecords(merchant, "shared-id", 1)).hasSize(1);
        assertThat(customerRecords(other, "shared-id", 1)).hasSize(1)
                .allSatisfy(record -> assertThat(JSON.readTree(record.value()).get("sequence").asLong()).isEqualTo(1));
    }

    @Test
    void concurrentUpdatesOfOneCustomerEachAnnounceTheirOwnSequence() {
        String merchant = newMerchantId();
        aCustomer(merchant, "raced");

        List<Integer> statuses = Flux.range(1, 6).parallel(6).runOn(Schedulers.boundedElastic())
                .map(round -> patch(merchant, "/v1/customers/raced", Map.of("name", "Name " + round))
                        .returnResult(byte[].class).getStatus().value())
                .sequential().collectList().block();

        assertThat(statuses).containsOnly(200).hasSize(6);
        assertThat(customerRecords(merchant, "raced", 7))
                .extracting(record -> JSON.readTree(record.value()).get("sequence").asLong())
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    /** The records of {@code merchant}'s customer {@code customerId}, once {@code count} of them are there (30 s at most). */
    private static List<ConsumerRecord<String, String>> customerRecords(String merchant, String customerId, int count) {
        return ofCustomer(readTopicUntil(Topics.CUSTOMERS, read -> ofCustomer(read, merchant, customerId).size() >= count), merchant, customerId);
    }

    private static List<ConsumerRecord<String, String>> ofCustomer(List<ConsumerRecord<String, String>> records, String merchant,
                                                                   String customerId) {
        return records.stream()
                .filter(record -> record.key().equals(customerId) && JSON.readTree(record.value()).get("merchant_id").asString().equals(merchant))
                .toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
