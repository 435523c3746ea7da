package dev.paystream.payment.payment.adapter.web;

import dev.paystream.platform.web.Problem;

/** CONTRACT §1 list pages: {@code limit} is 1 to 100, 20 when absent. */
final class PageLimits {

    static final int DEFAULT = 20;
    static final int MAX = 100;

    private PageLimits() {
    }

    static int parse(String limit) {
        if (limit == null) {
            return DEFAULT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below like any other bad value.
        }
        throw Problem.invalidField("limit", "limit must be an integer from 1 to " + MAX).toException();
    }
}
