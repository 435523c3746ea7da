package dev.paystream.platform.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An RFC 9457 problem as CONTRACT §1 defines it: a status, a stable machine-readable {@code code},
 * a human-readable {@code detail} that is always present, and the request field it concerns, if any.
 *
 * @param extensions further members of the body, such as {@code payment_id} on a decline
 * @param retryAfter sent as the {@code Retry-After} header when present (429 and 503)
 */
public record Problem(
        HttpStatus status,
        String code,
        String detail,
        String param,
        Map<String, Object> extensions,
        Duration retryAfter) {

    public static final String TYPE_BASE = "https://paystream.dev/problems/";

    public Problem {
        extensions = Map.copyOf(extensions);
    }

    public static Problem of(HttpStatus status, String code, String detail) {
        return new Problem(status, code, detail, null, Map.of(), null);
    }

    /** A 422 about one request field; the code names the field, e.g. {@code invalid_amount}. */
    public static Problem invalidField(String param, String detail) {
        return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_" + param.replace('.', '_'), detail, param, Map.of(), null);
    }

    public Problem withExtension(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, code, detail, param, more, retryAfter);
    }

    public Problem withRetryAfter(Duration retryAfter) {
        return new Problem(status, code, detail, param, extensions, retryAfter);
    }

    public ProblemException toException() {
        return new ProblemException(this);
    }

    public String type() {
        return TYPE_BASE + code;
    }

    public String title() {
        return status.getReasonPhrase();
    }
}
