package dev.paystream.webhook.endpoint;

import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import dev.paystream.webhook.endpoint.EndpointRequests.CreateEndpointRequest;
import dev.paystream.webhook.endpoint.EndpointRequests.UpdateEndpointRequest;
import dev.paystream.webhook.destination.TargetPolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * CONTRACT §10: a merchant's webhook endpoints. The signing secret is in the answer that creates it
 * (creation, rotation) and nowhere else, ever. Another merchant's endpoint is a 404.
 */
@Tag(name = "Webhook endpoints", description = "CONTRACT §10")
@RestController
@RequestMapping(path = "/v1/webhook-endpoints", produces = "application/json")
public class EndpointController {

    private final R2dbcEndpoints endpoints;
    private final TargetPolicy targets;
    private final Duration rotationOverlap;

    public EndpointController(R2dbcEndpoints endpoints, TargetPolicy targets,
                              @Value("${paystream.webhooks.rotation-overlap:24h}") Duration rotationOverlap) {
        this.endpoints = endpoints;
        this.targets = targets;
        this.rotationOverlap = rotationOverlap;
    }

    @Operation(summary = "Create a webhook endpoint", description = "Answers with its signing secret (whsec_...), shown this once.")
    @ApiResponse(responseCode = "201", description = "The endpoint, with its secret")
    @ProblemResponse(status = 400, description = "malformed_json or missing_body")
    @ProblemResponse(status = 409, description = "endpoint_limit_reached: the merchant has as many endpoints as allowed (100)")
    @ProblemResponse(status = 422, description = "invalid_url (not https, credentials, or a host that resolves to a loopback, private or "
            + "link-local address), invalid_events, invalid_description, unknown_parameter")
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<WebhookEndpoint>> create(Caller caller, @RequestBody(required = false) CreateEndpointRequest request) {
        String merchantId = caller.requireMerchant();
        EndpointRequests.requireBody(request);
        var events = EndpointRequests.events(request.events());
        String description = EndpointRequests.description(request.description());
        String secret = WebhookSecrets.newSecret();
        return checkedUrl(request.url())
                .flatMap(url -> endpoints.create(merchantId, url, events, description, secret))
                .switchIfEmpty(Mono.error(() -> Problem.of(HttpStatus.CONFLICT, "endpoint_limit_reached",
                        "A merchant may have at most 100 webhook endpoints; delete one first").toException()))
                .map(created -> ResponseEntity.status(HttpStatus.CREATED).body(created.withSecret(secret)));
    }

    @Operation(summary = "List webhook endpoints", description = "Newest first, cursor-paginated with limit (1..100, default 20) and starting_after.")
    @ApiResponse(responseCode = "200", description = "A page of endpoints (without secrets)")
    @ProblemResponse(status = 422, description = "An invalid limit, or a starting_after that is no endpoint of this merchant")
    @GetMapping
    public Mono<Page<WebhookEndpoint>> list(Caller caller,
                                            @Parameter(description = "How many, 1 to 100") @RequestParam(name = "limit", required = false) String limit,
                                            @RequestParam(name = "starting_after", required = false) String startingAfter) {
        String merchantId = caller.requireMerchant();
        PageRequest page = PageRequest.of(limit, startingAfter);
        // A cursor must name an endpoint of this merchant; ids compare as text, so any other would still cut the list somewhere.
        Mono<WebhookEndpoint> cursor = startingAfter == null ? Mono.empty()
                : endpoints.find(merchantId, startingAfter).switchIfEmpty(Mono.error(page::unknownCursor));
        return cursor.then(endpoints.list(merchantId, page).collectList()).map(page::page);
    }

    @Operation(summary = "Retrieve a webhook endpoint")
    @ApiResponse(responseCode = "200", description = "The endpoint (without its secret)")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's endpoint")
    @GetMapping("/{id}")
    public Mono<WebhookEndpoint> get(Caller caller, @PathVariable String id) {
        return endpoints.find(caller.requireMerchant(), id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Operation(summary = "Update a webhook endpoint", description = "url, events, description, disabled; absent fields stay as they are. "
            + "disabled: false enables an endpoint again, also one a 410 disabled.")
    @ApiResponse(responseCode = "200", description = "The endpoint")
    @ProblemResponse(status = 400, description = "malformed_json or missing_body")
    @ProblemResponse(status = 404, description = "resource_missing")
    @ProblemResponse(status = 422, description = "invalid_url, invalid_events, invalid_description, unknown_parameter")
    @PatchMapping(path = "/{id}", consumes = "application/json")
    public Mono<WebhookEndpoint> update(Caller caller, @PathVariable String id, @RequestBody(required = false) UpdateEndpointRequest request) {
        String merchantId = caller.requireMerchant();
        EndpointRequests.requireBody(request);
        var events = request.events() == null ? null : EndpointRequests.events(request.events());
        String description = EndpointRequests.description(request.description());
        Mono<String> url = request.url() == null ? Mono.just("") : checkedUrl(request.url());
        return url.flatMap(checked -> endpoints.update(merchantId, id, checked.isEmpty() ? null : checked, events, description, request.disabled()))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Operation(summary = "Delete a webhook endpoint", description = "Nothing more is sent to it; its deliveries stay in the log.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemResponse(status = 404, description = "resource_missing")
    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> delete(Caller caller, @PathVariable String id) {
        return endpoints.delete(caller.requireMerchant(), id)
                .map(deleted -> {
                    if (!deleted) {
                        throw notFound(id);
                    }
                    return ResponseEntity.noContent().<Void>build();
                });
    }

    @Operation(summary = "Rotate an endpoint's signing secret", description = "Answers with the new secret, shown this once. For 24 hours "
            + "deliveries carry two signatures, by the new secret and by the one it replaced, space-separated in webhook-signature.")
    @ApiResponse(responseCode = "200", description = "The endpoint, with its new secret")
    @ProblemResponse(status = 404, description = "resource_missing")
    @PostMapping("/{id}/rotate-secret")
    public Mono<WebhookEndpoint> rotateSecret(Caller caller, @PathVariable String id) {
        String secret = WebhookSecrets.newSecret();
        return endpoints.rotate(caller.requireMerchant(), id, secret, rotationOverlap)
                .map(rotated -> rotated.withSecret(secret))
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** The URL once it passed the target policy, resolving its host off the event loop; a 422 naming {@code url} otherwise. */
    private Mono<String> checkedUrl(String url) {
        URI uri;
        try {
            uri = targets.parse(url);
        } catch (TargetPolicy.InvalidTarget invalid) {
            return Mono.error(EndpointRequests.invalid("url", invalid.getMessage()));
        }
        return Mono.fromCallable(() -> targets.resolve(uri))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(resolution -> resolution instanceof TargetPolicy.Refused refused
                        // A host that does not resolve now may later; it is checked again before every attempt.
                        ? Mono.error(EndpointRequests.invalid("url", refused.reason()))
                        : Mono.just(uri.toString()));
    }

    private static RuntimeException notFound(String id) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No webhook endpoint " + id, "id", Map.of(), null).toException();
    }
}
