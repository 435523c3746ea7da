package dev.paystream.webhook.endpoint;

import dev.paystream.events.EventTypes;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemException;
import dev.paystream.platform.web.RequestFields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/** The bodies of the endpoint requests, exactly as sent, and their checks: a 422 naming the first bad field. */
public final class EndpointRequests {

    static final int DESCRIPTION_LENGTH_MAX = 500;
    static final int EVENTS_MAX = 50;
    /** The prefixes a subscription may name as {@code <prefix>.*}. */
    static final Set<String> PREFIXES = EventTypes.ALL.stream().map(type -> type.substring(0, type.indexOf('.')))
            .collect(Collectors.toCollection(LinkedHashSet::new));

    /** {@code POST /v1/webhook-endpoints}. */
    public record CreateEndpointRequest(String url, List<String> events, String description) {
    }

    /** {@code PATCH /v1/webhook-endpoints/{id}}: what is absent (null) stays as it is. */
    public record UpdateEndpointRequest(String url, List<String> events, String description, Boolean disabled) {
    }

    private EndpointRequests() {
    }

    static void requireBody(Object body) {
        if (body == null) {
            throw Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required").toException();
        }
    }

    /** The subscriptions, each once, in the order sent. */
    static List<String> events(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw invalid("events", "events is required: a list of event types (see CONTRACT §11), \"<prefix>.*\" or \"*\" for all");
        }
        if (events.size() > EVENTS_MAX) {
            throw invalid("events", "events may list at most " + EVENTS_MAX + " types");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String event : events) {
            if (event == null || !(event.equals("*") || EventTypes.ALL.contains(event) || isPrefix(event))) {
                throw invalid("events", "events must be event types of CONTRACT §11 (such as payment.captured), a prefix such as payment.* or *; "
                        + "not " + printable(event));
            }
            distinct.add(event);
        }
        return new ArrayList<>(distinct);
    }

    static String description(String description) {
        return RequestFields.text("description", description, DESCRIPTION_LENGTH_MAX);
    }

    private static boolean isPrefix(String event) {
        return event.endsWith(".*") && PREFIXES.contains(event.substring(0, event.length() - 2));
    }

    /** A value as a detail may quote it: bounded and printable. */
    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String bounded = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return "\"" + bounded.replaceAll("[^A-Za-z0-9_.*:-]", "?") + "\"";
    }

    static ProblemException invalid(String field, String detail) {
        return Problem.invalidField(field, detail).toException();
    }
}
