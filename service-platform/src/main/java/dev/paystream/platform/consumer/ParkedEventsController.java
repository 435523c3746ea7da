package dev.paystream.platform.consumer;

import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The operator's view of a service's parked events (ADR 0004): the events its consumers could not
 * apply, parked instead of blocking the events behind them, listed and re-driven once the cause is
 * fixed. Admin key only. One controller for every service that consumes; each puts it under its own
 * path, {@code paystream.consumer.parked-events-path} (the ledger {@code /v1/ledger/parked-events}, the
 * invoices {@code /v1/invoices/parked-events}, the webhooks {@code /v1/webhooks/parked-events}), and a
 * service that sets none has no such endpoint ({@link EventConsumerConfiguration}).
 */
@RestController
@RequestMapping(path = "${paystream.consumer.parked-events-path}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Parked events", description = "Events this service's consumers could not apply, parked for the operator")
public class ParkedEventsController {

    private final ParkedEventOperations parkedEvents;

    public ParkedEventsController(ParkedEventOperations parkedEvents) {
        this.parkedEvents = parkedEvents;
    }

    @GetMapping
    @Operation(summary = "List parked events, newest first (operators only)")
    public Mono<Page<ParkedEventResponse>> list(
            @Parameter(hidden = true) Caller caller,
            @Parameter(description = "Only events with this status", schema = @Schema(allowableValues = {"parked", "resolved"}))
            @RequestParam(name = "status", required = false) String status,
            @Parameter(description = "How many events, 1 to 100", schema = @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "20"))
            @RequestParam(name = "limit", required = false) String limit,
            @Parameter(description = "The id of the parked event after which the page starts (the last of the previous page)")
            @RequestParam(name = "starting_after", required = false) String startingAfter) {
        caller.requireAdmin();
        String only = status == null || status.isBlank() ? null : status.trim();
        PageRequest page = PageRequest.of(limit, startingAfter == null || startingAfter.isBlank() ? null : startingAfter);
        return parkedEvents.list(new ParkedEventQuery(only, page))
                .map(events -> new Page<>(events.data().stream().map(ParkedEventResponse::of).toList(), events.hasMore()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One parked event, with its value and why it was parked (operators only)")
    public Mono<ParkedEventResponse> get(@Parameter(hidden = true) Caller caller, @PathVariable("id") String id) {
        caller.requireAdmin();
        return parkedEvents.find(id).map(ParkedEventResponse::of);
    }

    @PostMapping("/{id}/redrive")
    @Operation(summary = "Apply a parked event again (operators only)",
            description = "Applied, or found applied before: status resolved. Still failing: status parked, with the new failure. "
                    + "Re-driving a resolved event changes nothing.")
    public Mono<ParkedEventResponse> redrive(@Parameter(hidden = true) Caller caller, @PathVariable("id") String id) {
        caller.requireAdmin();
        return parkedEvents.redrive(id).map(ParkedEventResponse::of);
    }
}
