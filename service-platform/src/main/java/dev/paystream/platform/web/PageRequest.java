package dev.paystream.platform.web;

import java.util.List;
import java.util.function.Function;

/**
 * A request for one page of a list (CONTRACT §1): {@code limit} 1 to {@value #LIMIT_MAX}
 * ({@value #LIMIT_DEFAULT} when absent) and an optional {@code starting_after} cursor, the id of the
 * last item of the previous page. Every list of every service reads its parameters here and answers
 * an unknown cursor the same way: a 422 naming {@code starting_after}.
 *
 * <p>A query fetches {@link #rowsToFetch()} rows — one more than the page — and {@link #page} tells
 * from the extra row whether there is more.
 */
public record PageRequest(int limit, String startingAfter) {

    public static final int LIMIT_DEFAULT = 20;
    public static final int LIMIT_MAX = 100;
    /** Cursors are ids, and ids are short. */
    private static final int CURSOR_LENGTH_MAX = 255;

    /** Reads the query parameters, or fails with a 422 problem naming the bad one. */
    public static PageRequest of(String limit, String startingAfter) {
        if (startingAfter != null) {
            RequestFields.identifier("starting_after", startingAfter, CURSOR_LENGTH_MAX);
        }
        return new PageRequest(parseLimit(limit), startingAfter);
    }

    private static int parseLimit(String limit) {
        if (limit == null) {
            return LIMIT_DEFAULT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= LIMIT_MAX) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below like any other bad value.
        }
        throw Problem.invalidField("limit", "limit must be an integer from 1 to " + LIMIT_MAX).toException();
    }

    public int rowsToFetch() {
        return limit + 1;
    }

    /** The page of {@code rows} (fetched with {@link #rowsToFetch()}), mapped to what the API shows. */
    public <R, T> Page<T> page(List<R> rows, Function<R, T> toItem) {
        return new Page<>(rows.stream().limit(limit).map(toItem).toList(), rows.size() > limit);
    }

    public <T> Page<T> page(List<T> rows) {
        return page(rows, Function.identity());
    }

    /** The answer to a cursor that names nothing in the list (an unknown id, or another merchant's). */
    public ProblemException unknownCursor() {
        return Problem.invalidField("starting_after", "starting_after " + startingAfter + " is not an item of this list").toException();
    }
}
