package dev.paystream.platform.consumer;

import java.util.List;

/** A page of parked events, newest first; {@code hasMore} when older ones follow. */
public record ParkedEventPage(List<ParkedEvent> events, boolean hasMore) {

    public ParkedEventPage {
        events = List.copyOf(events);
    }
}
