package dev.paystream.platform.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.paystream.platform.web.Page;
import reactor.core.publisher.Mono;

/** Parked events kept in memory, for tests of what the consumer parks; only parking and counting are kept. */
final class InMemoryParkedEvents implements ParkedEvents {

    final List<UnappliedRecord> parked = new ArrayList<>();
    volatile RuntimeException failure;

    @Override
    public synchronized Mono<List<UnappliedRecord>> park(List<UnappliedRecord> records) {
        if (failure != null) {
            return Mono.error(failure);
        }
        List<UnappliedRecord> now = records.stream()
                .filter(record -> parked.stream().noneMatch(before -> before.origin().equals(record.origin())))
                .toList();
        parked.addAll(now);
        return Mono.just(now);
    }

    @Override
    public Mono<Page<ParkedEvent>> list(ParkedEventQuery query) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Mono<ParkedEvent> find(String id) {
        return Mono.empty();
    }

    @Override
    public Mono<ParkedEvent> resolve(String id) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Mono<ParkedEvent> failedAgain(String id, Failure failure) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public synchronized Mono<Map<String, Long>> waitingByConsumer() {
        return Mono.just(parked.stream().collect(Collectors.groupingBy(UnappliedRecord::consumer, Collectors.counting())));
    }
}
