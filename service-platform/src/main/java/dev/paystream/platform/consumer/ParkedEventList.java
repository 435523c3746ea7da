package dev.paystream.platform.consumer;

import java.util.List;

/** A page of parked events, newest first (CONTRACT §1 lists). */
public record ParkedEventList(List<ParkedEventResponse> data, boolean hasMore) {

    public static ParkedEventList of(ParkedEventPage page) {
        return new ParkedEventList(page.events().stream().map(ParkedEventResponse::of).toList(), page.hasMore());
    }
}
