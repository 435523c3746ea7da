package dev.paystream.payment.payment.adapter.web;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.v1.PaymentV1;
import dev.paystream.events.v1.RefundV1;
import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.application.PaymentCommandHandler;
import dev.paystream.payment.payment.application.PaymentCommandHandler.Outcome;
import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.PaymentQueries;
import dev.paystream.payment.payment.application.ProcessorUnavailable;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.payment.domain.PaymentStatus;
import dev.paystream.payment.payment.domain.Rejection;
import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.platform.web.CursorPages;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * CONTRACT §5: payments. Every read and write is scoped to the calling merchant. Idempotency keys
 * (CONTRACT §3) are handled before these methods run, by the platform's IdempotencyFilter.
 */
@Tag(name = "Payments", description = "CONTRACT §5")
@RestController
@RequestMapping(path = "/v1/payments", produces = "application/json")
public class PaymentController {

    private final PaymentCommandHandler commands;
    private final PaymentEventStore events;
    private final PaymentQueries readModel;
    private final PaymentContractMapper contract;
    private final PaymentRequests requests;

    public PaymentController(PaymentCommandHandler commands, PaymentEventStore events, PaymentQueries readModel,
                             PaymentContractMapper contract, Clock clock) {
        this.commands = commands;
        this.events = events;
        this.readModel = readModel;
        this.contract = contract;
        this.requests = new PaymentRequests(clock);
    }

    @Operation(summary = "Create a payment", description = "Authorizes, and captures at once unless capture_method is manual. "
            + "paypal and bank_transfer answer 202 with status processing and complete later.")
    @ApiResponse(responseCode = "201", description = "The card payment, authorized or captured")
    @ApiResponse(responseCode = "202", description = "An asynchronous payment, processing")
    @ProblemResponse(status = 400, description = "malformed_json (also a field named twice) or missing_body")
    @ProblemResponse(status = 402, description = "Declined (code card_declined, with payment_id and decline_code) or failed (code processing_error, with failure_code)")
    @ProblemResponse(status = 409, description = "invoice_not_open: the invoice named is paid or void")
    @ProblemResponse(status = 422, description = "A field is invalid (invalid_<field>, unknown_parameter, invalid_value); resource_missing: "
            + "no such customer_id or invoice_id of yours; invoice_mismatch: currency or customer_id differ from the invoice's; "
            + "amount_exceeds_invoice_due; param names the field")
    @ProblemResponse(status = 503, description = "processor_unavailable: the processor's circuit breaker is open; see Retry-After")
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<PaymentV1>> create(Caller caller, IdempotentRequest idempotentRequest,
                                                  @RequestBody(required = false) CreatePaymentRequest request) {
        var command = requests.toCommand(caller.requireMerchant(), request);
        return commands.create(command, idempotentRequest)
                .onErrorMap(ProcessorUnavailable.class, unavailable -> new Problem(HttpStatus.SERVICE_UNAVAILABLE, "processor_unavailable",
                        "The card processor is failing and is not being called for now; nothing was charged", null, Map.of(),
                        unavailable.retryAfter()).toException())
                .map(outcome -> createdOrDeclined(done(null, outcome).payment()));
    }

    @Operation(summary = "Capture an authorized payment", description = "Captures all, or once a part, of the authorization; the rest is released.")
    @ApiResponse(responseCode = "200", description = "The captured payment")
    @ProblemResponse(status = 404, description = "resource_missing")
    @ProblemResponse(status = 409, description = "payment_not_capturable; payment_changed_concurrently (retry, see Retry-After)")
    @ProblemResponse(status = 422, description = "amount_too_large or an invalid amount")
    @PostMapping(path = "/{id}/capture")
    public Mono<PaymentV1> capture(Caller caller, IdempotentRequest idempotentRequest, @PathVariable String id,
                                   @RequestBody(required = false) CaptureRequest request) {
        Long amount = PaymentRequests.captureAmount(request);
        return commands.capture(caller.requireMerchant(), paymentId(id), amount, idempotentRequest)
                .onErrorMap(Exceptions::isRetryExhausted, exhausted -> concurrentChange(id))
                .map(outcome -> PaymentContractMapper.toContract(done(id, outcome).payment()));
    }

    @Operation(summary = "Cancel an authorized payment", description = "Releases the authorization; a captured payment is refunded instead.")
    @ApiResponse(responseCode = "200", description = "The canceled payment")
    @ProblemResponse(status = 404, description = "resource_missing")
    @ProblemResponse(status = 409, description = "payment_not_cancelable; payment_changed_concurrently (retry, see Retry-After)")
    @PostMapping(path = "/{id}/cancel")
    public Mono<PaymentV1> cancel(Caller caller, IdempotentRequest idempotentRequest, @PathVariable String id) {
        return commands.cancel(caller.requireMerchant(), paymentId(id), idempotentRequest)
                .onErrorMap(Exceptions::isRetryExhausted, exhausted -> concurrentChange(id))
                .map(outcome -> PaymentContractMapper.toContract(done(id, outcome).payment()));
    }

    @Operation(summary = "Refund a captured payment", description = "Several partial refunds are allowed; their sum never exceeds the captured amount.")
    @ApiResponse(responseCode = "201", description = "The refund")
    @ProblemResponse(status = 404, description = "resource_missing")
    @ProblemResponse(status = 409, description = "payment_not_refundable, refund_limit_reached (100 refunds); payment_changed_concurrently (retry, see Retry-After)")
    @ProblemResponse(status = 422, description = "amount_too_large, an invalid amount or reason")
    @PostMapping(path = "/{id}/refunds")
    public Mono<ResponseEntity<RefundV1>> refund(Caller caller, IdempotentRequest idempotentRequest, @PathVariable String id,
                                                 @RequestBody(required = false) RefundRequest request) {
        Long amount = PaymentRequests.refundAmount(request);
        String reason = PaymentRequests.refundReason(request);
        return commands.refund(caller.requireMerchant(), paymentId(id), amount, reason, idempotentRequest)
                .onErrorMap(Exceptions::isRetryExhausted, exhausted -> concurrentChange(id))
                .map(outcome -> {
                    PaymentRefunded refunded = (PaymentRefunded) done(id, outcome).events().get(0);
                    return ResponseEntity.status(HttpStatus.CREATED).body(PaymentContractMapper.toRefund(refunded));
                });
    }

    @Operation(summary = "List payments", description = "Newest first, cursor-paginated with limit (1..100, default 20) and starting_after.")
    @ApiResponse(responseCode = "200", description = "A page of payments")
    @ProblemResponse(status = 422, description = "An invalid limit or status, or a starting_after that is no payment of this merchant")
    @GetMapping
    public Mono<Page<PaymentV1>> list(Caller caller,
                                      @RequestParam(name = "customer_id", required = false) String customerId,
                                      @RequestParam(name = "status", required = false) String status,
                                      @RequestParam(name = "invoice_id", required = false) String invoiceId,
                                      @RequestParam(name = "limit", required = false) String limit,
                                      @RequestParam(name = "starting_after", required = false) String startingAfter) {
        if (status != null && java.util.Arrays.stream(PaymentStatus.values()).noneMatch(known -> known.wireName().equals(status))) {
            throw Problem.invalidField("status", "status must be one of processing, authorized, captured, partially_refunded, "
                    + "refunded, declined, failed, canceled").toException();
        }
        PageRequest page = PageRequest.of(limit, startingAfter);
        String merchantId = caller.requireMerchant();
        return CursorPages.of(page, readModel.list(merchantId, new PaymentQueries.Filter(customerId, status, invoiceId), page),
                cursor -> readModel.find(cursor, merchantId));
    }

    @Operation(summary = "Retrieve a payment")
    @ApiResponse(responseCode = "200", description = "The payment")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's payment")
    @GetMapping("/{id}")
    public Mono<PaymentV1> get(Caller caller, @PathVariable String id) {
        return readModel.find(id, caller.requireMerchant()).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /**
     * The history of a payment as the envelopes published on Kafka, oldest first, a page at a time
     * ({@code starting_after} an event id). A history is bounded (at most {@link Payment#REFUNDS_MAX}
     * refunds), so it is rebuilt whole — every envelope carries the payment as that event left it —
     * and then paged.
     */
    @Operation(summary = "A payment's events", description = "The envelopes published on paystream.payments.v1 for this payment, oldest first, "
            + "cursor-paginated with limit (1..100, default 20) and starting_after (an event id).")
    @ApiResponse(responseCode = "200", description = "The history")
    @ProblemResponse(status = 404, description = "resource_missing")
    @ProblemResponse(status = 422, description = "An invalid limit, or a starting_after that is no event of this payment")
    @GetMapping("/{id}/events")
    public Mono<Page<EventEnvelope<Object>>> events(Caller caller, @PathVariable String id,
                                                    @RequestParam(name = "limit", required = false) String limit,
                                                    @RequestParam(name = "starting_after", required = false) String startingAfter) {
        PageRequest page = PageRequest.of(limit, startingAfter);
        return events.history(paymentId(id), caller.requireMerchant()).collectList()
                .flatMap(history -> history.isEmpty() ? Mono.error(notFound(id)) : Mono.just(envelopes(history)))
                .map(envelopes -> {
                    int start = 0;
                    if (startingAfter != null) {
                        start = envelopes.stream().map(EventEnvelope::id).toList().indexOf(startingAfter) + 1;
                        if (start == 0) {
                            throw page.unknownCursor();
                        }
                    }
                    return page.page(envelopes.subList(start, Math.min(envelopes.size(), start + page.rowsToFetch())));
                });
    }

    private List<EventEnvelope<Object>> envelopes(List<RecordedPaymentEvent> history) {
        List<EventEnvelope<Object>> envelopes = new ArrayList<>(history.size());
        Payment state = null;
        for (RecordedPaymentEvent recorded : history) {
            PaymentEvent event = recorded.event();
            state = Payment.evolve(state, event);
            envelopes.add(contract.toEnvelope(recorded, state));
        }
        return envelopes;
    }

    private static ResponseEntity<PaymentV1> createdOrDeclined(Payment payment) {
        if (payment.status() == PaymentStatus.DECLINED) {
            throw new Problem(HttpStatus.PAYMENT_REQUIRED, "card_declined", "The card was declined: " + payment.declineCode(),
                    null, Map.of("payment_id", payment.id().value(), "decline_code", payment.declineCode()), null).toException();
        }
        if (payment.status() == PaymentStatus.FAILED) {
            throw new Problem(HttpStatus.PAYMENT_REQUIRED, "processing_error", "The payment could not be processed: " + payment.failureCode(),
                    null, Map.of("payment_id", payment.id().value(), "failure_code", payment.failureCode()), null).toException();
        }
        // An asynchronous method is accepted now and completed later (CONTRACT §5: 202, status processing).
        HttpStatus status = payment.status() == PaymentStatus.PROCESSING ? HttpStatus.ACCEPTED : HttpStatus.CREATED;
        return ResponseEntity.status(status).body(PaymentContractMapper.toContract(payment));
    }

    /** The command's result, or the problem that says why there is none. */
    private static Outcome.Done done(String id, Outcome outcome) {
        if (outcome instanceof Outcome.Done done) {
            return done;
        }
        if (outcome instanceof Outcome.Refused refused) {
            Rejection rejection = refused.rejection().rejection();
            String param = refused.rejection().param() != null ? refused.rejection().param()
                    : rejection == Rejection.AMOUNT_TOO_LARGE ? "amount" : null;
            throw new Problem(statusOf(rejection), rejection.code(), refused.rejection().detail(), param, Map.of(), null).toException();
        }
        throw notFound(id);
    }

    /**
     * The command lost every race with concurrent commands on the payment. Nothing was changed and
     * the server asks for a retry ({@code Retry-After}), so the answer is not kept under the
     * request's idempotency key: a retry with the same key runs again.
     */
    /** A refusal about what the request says (an amount, a reference) is a 422; one about the state things are in, a 409. */
    private static HttpStatus statusOf(Rejection rejection) {
        return switch (rejection) {
            case AMOUNT_TOO_LARGE, RESOURCE_MISSING, INVOICE_MISMATCH, AMOUNT_EXCEEDS_INVOICE_DUE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case PAYMENT_NOT_CAPTURABLE, PAYMENT_NOT_PROCESSING, PAYMENT_NOT_CANCELABLE, PAYMENT_NOT_REFUNDABLE, REFUND_LIMIT_REACHED,
                 INVOICE_NOT_OPEN, PAYMENT_NOT_SETTLEABLE -> HttpStatus.CONFLICT;
        };
    }

    private static RuntimeException concurrentChange(String id) {
        return Problem.of(HttpStatus.CONFLICT, "payment_changed_concurrently",
                "payment " + id + " is being changed by other requests; retry").withRetryAfter(Duration.ofSeconds(1)).toException();
    }

    private static PaymentId paymentId(String id) {
        if (id == null || !id.startsWith(PaymentId.PREFIX) || id.length() > 100) {
            throw notFound(id);
        }
        return new PaymentId(id);
    }

    private static RuntimeException notFound(String id) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No payment " + id, "id", Map.of(), null).toException();
    }
}
