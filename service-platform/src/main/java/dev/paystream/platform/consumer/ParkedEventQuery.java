package dev.paystream.platform.consumer;

import java.util.Set;

/**
 * One page of parked events, newest first.
 *
 * @param status        only events with this status; null for all
 * @param startingAfter the id of the last event of the previous page; null for the first page
 */
public record ParkedEventQuery(String status, String startingAfter, int limit) {

    public static final int LIMIT_MAX = 100;
    private static final Set<String> STATUSES = Set.of(ParkedEvent.PARKED, ParkedEvent.RESOLVED);

    public ParkedEventQuery {
        if (limit < 1 || limit > LIMIT_MAX) {
            throw new IllegalArgumentException("limit must be between 1 and " + LIMIT_MAX);
        }
        if (status != null && !STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be parked or resolved");
        }
    }
}
