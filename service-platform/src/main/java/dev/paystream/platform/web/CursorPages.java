package dev.paystream.platform.web;

import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The answer to a list request (CONTRACT §1 lists), the same for every list of every service. */
public final class CursorPages {

    private CursorPages() {
    }

    /**
     * The page of {@code rows} (fetched with {@link PageRequest#rowsToFetch()}). An empty page after a
     * cursor is the end of the list, or a cursor that names nothing in it: {@code findCursor} tells
     * which, and the second is a 422 naming {@code starting_after}.
     */
    public static <T> Mono<Page<T>> of(PageRequest page, Flux<T> rows, Function<String, Mono<?>> findCursor) {
        return rows.collectList().flatMap(found -> found.isEmpty() && page.startingAfter() != null
                ? findCursor.apply(page.startingAfter()).map(cursor -> page.page(found))
                        .switchIfEmpty(Mono.error(page::unknownCursor))
                : Mono.just(page.page(found)));
    }
}
