package dev.paystream.platform.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Mono;

/**
 * Whether a consumer group has applied everything on its topics so far: for each partition, its
 * committed offset has reached the partition's end. The platform consumer commits only after a poll
 * applied, so "caught up" means every record published before the question is in the group's effect
 * — on whichever instance of the service consumed it. A projection uses it to tell "not there yet"
 * from "not there at all" (read your writes, docs/adr/0005); {@link ConsumerLagGauges} reports it as
 * {@code paystream.consumer.lag}.
 */
public final class ConsumerLag implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;

    public ConsumerLag(Map<String, Object> adminConfiguration) {
        this.admin = Admin.create(adminConfiguration);
    }

    /** Emits whether {@code groupId} has committed up to the end of every partition of {@code topics}. */
    public Mono<Boolean> caughtUp(String groupId, Collection<String> topics) {
        return behindByPartition(groupId, topics).map(behind -> behind.values().stream().allMatch(records -> records == 0));
    }

    /**
     * Emits how many records of {@code topics} {@code groupId} has not committed yet, summed over the
     * partitions: the group's lag, the same figure whichever instance asks. A partition the group has
     * never committed on counts from its start.
     */
    public Mono<Long> behind(String groupId, Collection<String> topics) {
        return behindByPartition(groupId, topics).map(behind -> behind.values().stream().mapToLong(Long::longValue).sum());
    }

    private Mono<Map<TopicPartition, Long>> behindByPartition(String groupId, Collection<String> topics) {
        return future(admin.describeTopics(topics).allTopicNames())
                .flatMap(described -> {
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    for (TopicDescription topic : described.values()) {
                        topic.partitions().forEach(partition -> ends.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest()));
                    }
                    return future(admin.listOffsets(ends).all())
                            .zipWith(future(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()));
                })
                .map(endsAndCommitted -> {
                    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = endsAndCommitted.getT1();
                    Map<TopicPartition, OffsetAndMetadata> committed = endsAndCommitted.getT2();
                    Map<TopicPartition, Long> behind = new HashMap<>();
                    ends.forEach((partition, end) -> {
                        OffsetAndMetadata offset = committed.get(partition);
                        behind.put(partition, Math.max(0, end.offset() - (offset == null ? 0 : offset.offset())));
                    });
                    return behind;
                })
                .timeout(CALL_TIMEOUT);
    }

    /** The topics' partitions, for tests and operators. */
    public Mono<List<TopicPartition>> partitions(Collection<String> topics) {
        return future(admin.describeTopics(topics).allTopicNames()).map(described -> described.values().stream()
                .flatMap(topic -> topic.partitions().stream().map(partition -> new TopicPartition(topic.name(), partition.partition())))
                .toList());
    }

    private static <T> Mono<T> future(KafkaFuture<T> future) {
        return Mono.fromCompletionStage(future.toCompletionStage());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
