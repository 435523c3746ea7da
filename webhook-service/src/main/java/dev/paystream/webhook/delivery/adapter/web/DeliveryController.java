package dev.paystream.webhook.delivery.adapter.web;

import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import dev.paystream.platform.web.RequestFields;
import dev.paystream.webhook.delivery.application.Delivery;
import dev.paystream.webhook.delivery.application.DeliveryLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * CONTRACT §10: the delivery log of a merchant, every attempt included, and sending again by hand: one
 * delivery ({@code retry}) or every failed delivery of an endpoint since a time ({@code recover}).
 */
@Tag(name = "Webhook deliveries", description = "CONTRACT §10")
@RestController
public class DeliveryController {

    private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");
    private static final int ID_LENGTH_MAX = 255;

    /** The body of {@code POST /v1/webhook-endpoints/{id}/recover}. */
    public record RecoverRequest(String since) {
    }

    /** What {@code recover} queued. */
    public record Recovered(String endpointId, Instant since, long deliveriesQueued) {
    }

    private final DeliveryLog deliveries;

    public DeliveryController(DeliveryLog deliveries) {
        this.deliveries = deliveries;
    }

    @Operation(summary = "List webhook deliveries", description = "Newest first, with every attempt; filters endpoint_id, event_id, status; "
            + "cursor-paginated with limit (1..100, default 20) and starting_after.")
    @ApiResponse(responseCode = "200", description = "A page of deliveries")
    @ProblemResponse(status = 422, description = "An invalid status, limit or filter, or a starting_after that is no delivery of this merchant")
    @GetMapping(path = "/v1/webhook-deliveries", produces = "application/json")
    public Mono<Page<Delivery>> list(Caller caller,
                                     @RequestParam(name = "endpoint_id", required = false) String endpointId,
                                     @RequestParam(name = "event_id", required = false) String eventId,
                                     @RequestParam(name = "status", required = false) String status,
                                     @RequestParam(name = "limit", required = false) String limit,
                                     @RequestParam(name = "starting_after", required = false) String startingAfter) {
        String merchantId = caller.requireMerchant();
        if (status != null && !STATUSES.contains(status)) {
            throw Problem.invalidField("status", "status must be pending, delivered or failed").toException();
        }
        RequestFields.identifier("endpoint_id", endpointId, ID_LENGTH_MAX);
        RequestFields.identifier("event_id", eventId, ID_LENGTH_MAX);
        PageRequest page = PageRequest.of(limit, startingAfter);
        // A cursor must name a delivery of this merchant; ids compare as text, so any other would still cut the list somewhere.
        Mono<Delivery> cursor = startingAfter == null ? Mono.empty()
                : deliveries.find(merchantId, startingAfter).switchIfEmpty(Mono.error(page::unknownCursor));
        return cursor.then(deliveries.list(merchantId, new DeliveryLog.Filter(endpointId, eventId, status), page).collectList()).map(page::page);
    }

    @Operation(summary = "Retrieve a webhook delivery, with every attempt")
    @ApiResponse(responseCode = "200", description = "The delivery")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's delivery")
    @GetMapping(path = "/v1/webhook-deliveries/{id}", produces = "application/json")
    public Mono<Delivery> get(Caller caller, @PathVariable String id) {
        return deliveries.find(caller.requireMerchant(), id).switchIfEmpty(Mono.error(() -> notFound("webhook delivery", id)));
    }

    @Operation(summary = "Send a delivery again now", description = "Whatever its status; it starts a new round of the retry schedule.")
    @ApiResponse(responseCode = "202", description = "Queued: the delivery, pending")
    @ProblemResponse(status = 404, description = "resource_missing")
    @ProblemResponse(status = 409, description = "endpoint_disabled: its endpoint is disabled or deleted; enable it first")
    @PostMapping(path = "/v1/webhook-deliveries/{id}/retry", produces = "application/json")
    public Mono<ResponseEntity<Delivery>> retry(Caller caller, @PathVariable String id) {
        return deliveries.retry(caller.requireMerchant(), id)
                .map(resend -> {
                    if (resend instanceof DeliveryLog.Queued queued) {
                        return ResponseEntity.status(HttpStatus.ACCEPTED).body(queued.delivery());
                    }
                    throw problem(resend, "webhook delivery", id);
                });
    }

    @Operation(summary = "Send again every failed delivery of an endpoint since a time",
            description = "Every delivery of the endpoint made at or after since that failed is queued now, each with a new round of the retry schedule.")
    @ApiResponse(responseCode = "202", description = "How many deliveries were queued")
    @ProblemResponse(status = 400, description = "malformed_json or missing_body")
    @ProblemResponse(status = 404, description = "resource_missing")
    @ProblemResponse(status = 409, description = "endpoint_disabled: the endpoint is disabled; enable it first")
    @ProblemResponse(status = 422, description = "invalid_since: not an ISO-8601 time, or in the future")
    @PostMapping(path = "/v1/webhook-endpoints/{id}/recover", consumes = "application/json", produces = "application/json")
    public Mono<ResponseEntity<Recovered>> recover(Caller caller, @PathVariable String id, @RequestBody(required = false) RecoverRequest request) {
        String merchantId = caller.requireMerchant();
        if (request == null) {
            throw Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required: {\"since\":\"<ISO-8601 time>\"}").toException();
        }
        Instant since = since(request.since());
        return deliveries.recover(merchantId, id, since)
                .map(resend -> {
                    if (resend instanceof DeliveryLog.Queued queued) {
                        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Recovered(id, since, queued.count()));
                    }
                    throw problem(resend, "webhook endpoint", id);
                });
    }

    private static Instant since(String since) {
        if (since == null) {
            throw Problem.invalidField("since", "since is required: an ISO-8601 time such as 2026-11-23T18:30:00Z").toException();
        }
        Instant parsed;
        try {
            parsed = Instant.parse(since);
        } catch (DateTimeParseException notATime) {
            throw Problem.invalidField("since", "since must be an ISO-8601 time such as 2026-11-23T18:30:00Z").toException();
        }
        if (parsed.isAfter(Instant.now())) {
            throw Problem.invalidField("since", "since must not be in the future").toException();
        }
        return parsed;
    }

    private static RuntimeException problem(DeliveryLog.Resend resend, String what, String id) {
        if (resend instanceof DeliveryLog.EndpointNotLive notLive) {
            return Problem.of(HttpStatus.CONFLICT, "endpoint_disabled", "Webhook endpoint " + notLive.endpointId()
                    + " is disabled or deleted, so nothing would be sent; enable it first (PATCH disabled=false)").toException();
        }
        return notFound(what, id);
    }

    private static RuntimeException notFound(String what, String id) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No " + what + " " + id, "id", Map.of(), null).toException();
    }
}
