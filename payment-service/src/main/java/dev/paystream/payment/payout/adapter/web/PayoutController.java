package dev.paystream.payment.payout.adapter.web;

import dev.paystream.events.v1.PayoutV1;
import dev.paystream.payment.payment.adapter.web.PaymentRequests;
import dev.paystream.payment.payout.adapter.contract.PayoutContractMapper;
import dev.paystream.payment.payout.application.CreatePayout;
import dev.paystream.payment.payout.application.PayoutCommandHandler;
import dev.paystream.payment.payout.application.PayoutCommandHandler.Outcome;
import dev.paystream.payment.payout.application.PayoutQueries;
import dev.paystream.payment.payout.domain.PayoutMethod;
import dev.paystream.payment.payout.domain.PayoutStatus;
import dev.paystream.payment.payout.domain.Rejection;
import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.platform.web.CursorPages;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import dev.paystream.platform.web.RequestFields;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
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
import reactor.core.publisher.Mono;

/**
 * CONTRACT §6: payouts to the merchant's customers, drawn on its available balance. Every read and write
 * is scoped to the calling merchant; the Idempotency-Key (required) is handled by the platform's filter.
 */
@Tag(name = "Payouts", description = "CONTRACT §6")
@RestController
@RequestMapping(path = "/v1/payouts", produces = "application/json")
public class PayoutController {

    static final int ID_LENGTH_MAX = 255;
    static final int DESCRIPTION_LENGTH_MAX = 1_000;

    private final PayoutCommandHandler commands;
    private final PayoutQueries readModel;

    public PayoutController(PayoutCommandHandler commands, PayoutQueries readModel) {
        this.commands = commands;
        this.readModel = readModel;
    }

    @Operation(summary = "Create a payout", description = "Pays amount of the available balance out to one of your customers; "
            + "pending at first, then paid or failed a moment later (an amount ending in 02 fails with account_closed).")
    @ApiResponse(responseCode = "201", description = "The payout, pending")
    @ProblemResponse(status = 400, description = "idempotency_key_missing, malformed_json or missing_body")
    @ProblemResponse(status = 409, description = "insufficient_available_balance: the amount exceeds the available balance in its currency")
    @ProblemResponse(status = 422, description = "A field is invalid (invalid_<field>, unknown_parameter); resource_missing: no such customer_id of yours")
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<PayoutV1>> create(Caller caller, IdempotentRequest idempotentRequest,
                                                 @RequestBody(required = false) CreatePayoutRequest request) {
        CreatePayout command = toCommand(caller.requireMerchant(), request);
        return commands.create(command, idempotentRequest)
                .map(outcome -> ResponseEntity.status(HttpStatus.CREATED).body(PayoutContractMapper.toContract(done(null, outcome).payout())));
    }

    @Operation(summary = "Retrieve a payout")
    @ApiResponse(responseCode = "200", description = "The payout")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's payout")
    @GetMapping("/{id}")
    public Mono<PayoutV1> get(Caller caller, @PathVariable String id) {
        return readModel.find(id, caller.requireMerchant()).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Operation(summary = "List payouts", description = "Newest first, cursor-paginated with limit (1..100, default 20) and starting_after; "
            + "filtered by customer_id and status (pending, paid, failed).")
    @ApiResponse(responseCode = "200", description = "A page of payouts")
    @ProblemResponse(status = 422, description = "An invalid limit or status, or a starting_after that is no payout of yours")
    @GetMapping
    public Mono<Page<PayoutV1>> list(Caller caller,
                                     @RequestParam(name = "customer_id", required = false) String customerId,
                                     @RequestParam(name = "status", required = false) String status,
                                     @RequestParam(name = "limit", required = false) String limit,
                                     @RequestParam(name = "starting_after", required = false) String startingAfter) {
        if (status != null && PayoutStatus.fromWireName(status).isEmpty()) {
            throw Problem.invalidField("status", "status must be one of pending, paid, failed").toException();
        }
        PageRequest page = PageRequest.of(limit, startingAfter);
        String merchantId = caller.requireMerchant();
        return CursorPages.of(page, readModel.list(merchantId, new PayoutQueries.Filter(customerId, status), page),
                cursor -> readModel.find(cursor, merchantId));
    }

    private static CreatePayout toCommand(String merchantId, CreatePayoutRequest request) {
        if (request == null) {
            throw Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required").toException();
        }
        if (request.customerId() == null) {
            throw Problem.invalidField("customer_id", "customer_id is required: the customer to pay out to").toException();
        }
        RequestFields.identifier("customer_id", request.customerId(), ID_LENGTH_MAX);
        var amount = PaymentRequests.money(request.amount(), request.currency());
        if (request.method() == null) {
            throw Problem.invalidField("method", "method is required: paypal or bank_transfer").toException();
        }
        PayoutMethod method = PayoutMethod.fromWireName(request.method().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> Problem.invalidField("method", "method must be paypal or bank_transfer").toException());
        RequestFields.text("description", request.description(), DESCRIPTION_LENGTH_MAX);
        Map<String, String> metadata = RequestFields.metadata("metadata", request.metadata(), false);
        return new CreatePayout(merchantId, request.customerId(), amount, method, request.description(), metadata);
    }

    private static Outcome.Done done(String id, Outcome outcome) {
        if (outcome instanceof Outcome.Done done) {
            return done;
        }
        if (outcome instanceof Outcome.Refused refused) {
            Rejection rejection = refused.rejection().rejection();
            HttpStatus status = rejection == Rejection.RESOURCE_MISSING ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.CONFLICT;
            throw new Problem(status, rejection.code(), refused.rejection().detail(), refused.rejection().param(), Map.of(), null).toException();
        }
        throw notFound(id);
    }

    private static RuntimeException notFound(String id) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No payout " + id, "id", Map.of(), null).toException();
    }
}
