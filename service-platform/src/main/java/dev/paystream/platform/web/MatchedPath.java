package dev.paystream.platform.web;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A request's path as WebFlux matches it to routes and controllers: every segment percent-decoded and
 * without its {@code ;parameters}. Decisions about who may call a path must be taken on this form:
 * on the raw path, {@code /v1;x/merchants} is not under {@code /v1/} and {@code /v1/%6Derchants} is
 * not {@code /v1/merchants}, yet both reach the handler of {@code /v1/merchants}.
 */
public final class MatchedPath {

    private MatchedPath() {
    }

    public static String of(ServerHttpRequest request) {
        return of(request.getPath().pathWithinApplication());
    }

    public static String of(PathContainer path) {
        String raw = path.value();
        if (raw.indexOf(';') < 0 && raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder matched = new StringBuilder(raw.length());
        for (PathContainer.Element element : path.elements()) {
            matched.append(element instanceof PathContainer.PathSegment segment ? segment.valueToMatch() : element.value());
        }
        return matched.toString();
    }
}
