package dev.paystream.ledger.journal.adapter.web;

import dev.paystream.platform.web.Problem;

/** The {@code limit} of a list request (CONTRACT §1): 1 to 100, 20 when absent, otherwise a 422 naming it. */
final class PageLimit {

    static final int DEFAULT = 20;
    static final int MAX = 100;

    private PageLimit() {
    }

    static int parse(String limit) {
        if (limit == null) {
            return DEFAULT;
        }
        try {
            int rows = Integer.parseInt(limit.trim());
            if (rows >= 1 && rows <= MAX) {
                return rows;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below, like any other limit out of range.
        }
        throw Problem.invalidField("limit", "limit must be an integer between 1 and " + MAX).toException();
    }
}
