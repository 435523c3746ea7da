package dev.paystream.platform.consumer;

import java.util.List;
import java.util.Map;
import dev.paystream.platform.web.Page;
import reactor.core.publisher.Mono;

/** Where a service's consumers park the records they cannot apply (table {@code parked_events}). */
public interface ParkedEvents {

    /**
     * Parks each record, in one statement. A record parked before (same consumer, topic, partition and
     * offset: a batch delivered again) stays as it was.
     *
     * @return the records parked now
     */
    Mono<List<UnappliedRecord>> park(List<UnappliedRecord> records);

    /** A page of parked events of any of this service's consumers, newest first. */
    Mono<Page<ParkedEvent>> list(ParkedEventQuery query);

    /** Empty when there is no such parked event. */
    Mono<ParkedEvent> find(String id);

    /** Records a re-drive that applied the event: it is resolved. */
    Mono<ParkedEvent> resolve(String id);

    /** Records a re-drive that failed again: the event stays parked, with this failure. */
    Mono<ParkedEvent> failedAgain(String id, Failure failure);

    /** How many events wait, parked and not resolved, per consumer. */
    Mono<Map<String, Long>> waitingByConsumer();
}
