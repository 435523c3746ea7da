package dev.paystream.platform.web;

import dev.paystream.platform.failure.CauseChain;
import dev.paystream.platform.store.IdempotencyClaimLost;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every failure of a request, whether raised by a controller, by routing or by decoding,
 * into an RFC 9457 {@code application/problem+json} body (CONTRACT §1). It runs before Spring
 * Boot's own error handler so that no client ever sees an HTML page, an empty body or a stack trace.
 */
public final class ProblemJsonExceptionHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemJsonExceptionHandler.class);
    static final String DATABASE_UNAVAILABLE_CODE = "database_unavailable";
    /** About how long a restarting PostgreSQL or a refilling connection pool takes. */
    static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(2);
    /** Failures, anywhere in a cause chain, that say no database connection could be had or one broke. */
    private static final List<Class<? extends Throwable>> DATABASE_UNREACHABLE = List.of(
            CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
            TransientDataAccessResourceException.class, R2dbcNonTransientResourceException.class,
            R2dbcTransientResourceException.class);

    /** SQLSTATE class 22, "data exception": a value the database cannot take, whatever is retried. */
    private static final String SQL_DATA_EXCEPTION_CLASS = "22";

    private final JsonMapper jsonMapper;

    public ProblemJsonExceptionHandler(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public int getOrder() {
        // Before DefaultErrorWebExceptionHandler (-1) and the gateway's own handlers.
        return -2;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (causedBy(failure, AbortedException.class) != null) {
            // The caller's connection went away (the gateway closes one whose body did not arrive in
            // time): nobody is left to answer, and it is no failure of this service. Only Reactor
            // Netty's own signal for the request's connection counts: a broken database connection
            // also says "connection reset", and must still be answered with a 503.
            log.debug("Client went away during {} {} request_id={}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), RequestIdFilter.requestId(exchange), failure.toString());
            return Mono.empty();
        }
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        Problem problem = toProblem(failure);
        if (DATABASE_UNAVAILABLE_CODE.equals(problem.code())) {
            log.warn("Database unavailable on {} {} request_id={}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), RequestIdFilter.requestId(exchange), failure.toString());
        } else if (problem.status().is5xxServerError() && problem.status() != HttpStatus.SERVICE_UNAVAILABLE) {
            log.error("Unhandled failure on {} {} request_id={}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), RequestIdFilter.requestId(exchange), failure);
        }
        return write(exchange, problem);
    }

    /** Writes {@code problem} as the whole response; also used by filters that reject a request. */
    public Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
        }
        byte[] body = jsonMapper.writeValueAsBytes(body(problem, RequestIdFilter.requestId(exchange)));
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    static Map<String, Object> body(Problem problem, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", RequestFields.redactCardNumbers(problem.type()));
        body.put("title", problem.title());
        body.put("status", problem.status().value());
        // A detail may quote the request (an id of the path: "No payment <id>"); a card number sent
        // there must still never be returned (CONTRACT §5), whichever service wrote the detail.
        body.put("detail", RequestFields.redactCardNumbers(problem.detail()));
        // The param, the code and so the type name a request field ("unknown_parameter" of a member, "invalid_<field>"):
        // a card number sent as a member's name is still a card number.
        body.put("code", RequestFields.redactCardNumbers(problem.code()));
        if (problem.param() != null) {
            body.put("param", RequestFields.redactCardNumbers(problem.param()));
        }
        problem.extensions().forEach((name, value) ->
                body.put(name, value instanceof String text ? RequestFields.redactCardNumbers(text) : value));
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return body;
    }

    static Problem toProblem(Throwable failure) {
        if (failure instanceof ProblemException problemException) {
            return problemException.problem();
        }
        if (failure instanceof IdempotencyClaimLost) {
            // The request stalled and another with its key took the key over (docs/adr/0002): this one
            // wrote nothing, and a retry gets the other one's answer.
            return Problem.of(HttpStatus.CONFLICT, "idempotency_request_in_progress",
                    "Another request with this Idempotency-Key took over while this one was stalled; nothing was done by this one. "
                            + "Retry to get its answer").withRetryAfter(Duration.ofSeconds(1));
        }
        if (failure instanceof MethodNotAllowedException notAllowed) {
            return Problem.of(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    notAllowed.getHttpMethod() + " is not allowed here; allowed: " + notAllowed.getSupportedMethods());
        }
        if (failure instanceof UnsupportedMediaTypeStatusException unsupported) {
            return Problem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Content-Type " + unsupported.getContentType() + " is not supported; send application/json");
        }
        if (failure instanceof NotAcceptableStatusException) {
            return Problem.of(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "This resource is only available as application/json");
        }
        if (failure instanceof PayloadTooLargeException || causedBy(failure, DataBufferLimitException.class) != null) {
            return Problem.of(HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large", "The request body is larger than the limit");
        }
        if (failure instanceof MissingRequestValueException missing) {
            return new Problem(HttpStatus.BAD_REQUEST, "missing_" + missing.getLabel().replace(' ', '_'),
                    "Required " + missing.getLabel() + " '" + missing.getName() + "' is missing",
                    missing.getName(), Map.of(), null);
        }
        if (failure instanceof ServerWebInputException input) {
            return fromInputFailure(input);
        }
        if (failure instanceof ResponseStatusException statusException) {
            HttpStatus status = HttpStatus.resolve(statusException.getStatusCode().value());
            if (status == HttpStatus.NOT_FOUND) {
                return Problem.of(HttpStatus.NOT_FOUND, "resource_missing", "No resource at this path");
            }
            if (status != null && status.is4xxClientError()) {
                return Problem.of(status, status.name().toLowerCase(), statusException.getReason() != null
                        ? statusException.getReason() : status.getReasonPhrase());
            }
        }
        R2dbcException refused = causedBy(failure, R2dbcException.class);
        if (refused != null && refused.getSqlState() != null && refused.getSqlState().startsWith(SQL_DATA_EXCEPTION_CLASS)) {
            // PostgreSQL refused a value of the request (a NUL character, a date out of range): the
            // request's fault, not the server's. Its message may quote the value, so it is not passed on.
            return Problem.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_value",
                    "A value in the request cannot be stored (e.g. a NUL character or an out-of-range number or date)");
        }
        if (meansDatabaseUnavailable(failure)) {
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_CODE,
                            "The service's database cannot be reached at the moment; retry shortly")
                    .withRetryAfter(DATABASE_RETRY_AFTER);
        }
        return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "The server failed to handle this request; it has been logged under the request id");
    }

    private static Problem fromInputFailure(ServerWebInputException input) {
        JacksonException json = causedBy(input, JacksonException.class);
        if (json instanceof UnrecognizedPropertyException unknown) {
            String param = path(unknown);
            return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown_parameter",
                    "Unknown parameter '" + param + "'", param, Map.of(), null);
        }
        if (json instanceof InputCoercionException outOfRange) {
            // A number too large for its field ("amount": 99999999999999999999) is valid JSON with a wrong value.
            String param = path(outOfRange);
            return param.isEmpty()
                    ? Problem.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_number", "A number in the request is out of range")
                    : Problem.invalidField(param, param + " is out of range");
        }
        if (json instanceof MismatchedInputException mismatched && !path(mismatched).isEmpty()) {
            String param = path(mismatched);
            String expected = mismatched.getTargetType() == null ? "another type" : describe(mismatched.getTargetType());
            return Problem.invalidField(param, param + " must be " + expected);
        }
        if (json != null && json.getMessage() != null && json.getMessage().startsWith("Duplicate Object property")) {
            return Problem.of(HttpStatus.BAD_REQUEST, "malformed_json", "The request body names a field twice");
        }
        if (json != null || causedBy(input, DecodingException.class) != null) {
            return Problem.of(HttpStatus.BAD_REQUEST, "malformed_json", "The request body is not valid JSON");
        }
        if (input.getReason() != null && input.getReason().contains("body is missing")) {
            return Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required");
        }
        return Problem.of(HttpStatus.BAD_REQUEST, "bad_request", input.getReason() != null ? input.getReason() : "The request is malformed");
    }

    private static String path(JacksonException failure) {
        List<JacksonException.Reference> path = failure.getPath();
        return path.stream()
                .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        return "a valid " + type.getSimpleName();
    }

    /**
     * No connection to the database could be had, or the one in use broke: an outage of a
     * dependency (a restart, a full pool), not a fault of the request, so a 503 with
     * {@code Retry-After} rather than a 500. A request that failed this way is released by the
     * idempotency filter like any 5xx, so retrying it with the same key is safe.
     */
    static boolean meansDatabaseUnavailable(Throwable failure) {
        return DATABASE_UNREACHABLE.stream().anyMatch(type -> causedBy(failure, type) != null);
    }

    private static <T extends Throwable> T causedBy(Throwable failure, Class<T> type) {
        return CauseChain.find(failure, type).orElse(null);
    }

}
