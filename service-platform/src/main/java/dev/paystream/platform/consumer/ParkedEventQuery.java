package dev.paystream.platform.consumer;

import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;

import java.util.Set;

/**
 * One page of parked events, newest first.
 *
 * @param status only events with this status; null for all
 * @param page   the page (CONTRACT §1: limit and starting_after, the id of a parked event)
 */
public record ParkedEventQuery(String status, PageRequest page) {

    private static final Set<String> STATUSES = Set.of(ParkedEvent.PARKED, ParkedEvent.RESOLVED);

    public ParkedEventQuery {
        if (status != null && !STATUSES.contains(status)) {
            throw Problem.invalidField("status", "status must be parked or resolved").toException();
        }
    }
}
