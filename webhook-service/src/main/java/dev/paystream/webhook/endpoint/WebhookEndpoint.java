package dev.paystream.webhook.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint as the API shows it (CONTRACT §10).
 *
 * @param events         the subscribed event types: {@code *}, a type of CONTRACT §11, or a prefix such as {@code payment.*}
 * @param disabledReason {@code requested} (by a PATCH) or {@code gone} (the endpoint answered 410); null while enabled
 * @param secret         the signing secret: only in the answer that created it (creation, rotation), never again
 */
public record WebhookEndpoint(String id, String url, List<String> events, String description, boolean disabled, String disabledReason,
                              Instant createdAt, Instant updatedAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    public WebhookEndpoint {
        events = List.copyOf(events);
    }

    WebhookEndpoint withSecret(String shownOnce) {
        return new WebhookEndpoint(id, url, events, description, disabled, disabledReason, createdAt, updatedAt, shownOnce);
    }

    @Override
    public String toString() {
        // Never the secret, wherever an endpoint ends up being printed.
        return "WebhookEndpoint[id=" + id + ", url=" + url + ", events=" + events + ", disabled=" + disabled + "]";
    }
}
