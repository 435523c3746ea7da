package dev.paystream.customer.invoice.adapter.web;

import dev.paystream.customer.invoice.adapter.contract.InvoiceContractMapper;
import dev.paystream.customer.invoice.application.InvoiceCommandHandler;
import dev.paystream.customer.invoice.application.InvoiceCommandHandler.Outcome;
import dev.paystream.customer.invoice.application.InvoicePayment;
import dev.paystream.customer.invoice.application.InvoiceQueries;
import dev.paystream.customer.invoice.domain.InvoiceId;
import dev.paystream.customer.invoice.domain.InvoiceStatus;
import dev.paystream.customer.invoice.domain.Rejection;
import dev.paystream.platform.web.CursorPages;
import dev.paystream.events.v1.InvoiceV1;
import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * CONTRACT §7: invoices, each merchant's own. Payments pay them through their events
 * ({@code paystream.payments.v1}), never through this API.
 */
@Tag(name = "Invoices", description = "CONTRACT §7")
@RestController
@RequestMapping(path = "/v1/invoices", produces = "application/json")
public class InvoiceController {

    /** Ids are short; a longer one names no invoice. */
    private static final int ID_LENGTH_MAX = 100;

    private final InvoiceCommandHandler commands;
    private final InvoiceQueries readModel;

    public InvoiceController(InvoiceCommandHandler commands, InvoiceQueries readModel) {
        this.commands = commands;
        this.readModel = readModel;
    }

    @Operation(summary = "Create an invoice", description = "Issues an open invoice to one of your customers. Publishes invoice.created.")
    @ApiResponse(responseCode = "201", description = "The invoice, open")
    @ProblemResponse(status = 400, description = "malformed_json (also a field named twice) or missing_body")
    @ProblemResponse(status = 422, description = "resource_missing (param customer_id: no such customer of yours); invalid_customer_id, "
            + "invalid_amount, invalid_currency, invalid_description, invalid_due_date, invalid_metadata, unknown_parameter; param names the field")
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<InvoiceV1>> create(Caller caller, @RequestBody(required = false) CreateInvoiceRequest request) {
        var command = InvoiceRequests.create(caller.requireMerchant(), request);
        return commands.create(command)
                .map(outcome -> {
                    if (outcome instanceof Outcome.CustomerMissing) {
                        throw new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "resource_missing", "No customer " + command.customerId(),
                                "customer_id", Map.of(), null).toException();
                    }
                    return ResponseEntity.status(HttpStatus.CREATED).body(InvoiceContractMapper.toContract(done(null, outcome).invoice()));
                });
    }

    @Operation(summary = "Retrieve an invoice")
    @ApiResponse(responseCode = "200", description = "The invoice")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's invoice")
    @GetMapping("/{id}")
    public Mono<InvoiceV1> get(Caller caller, @PathVariable String id) {
        return readModel.find(invoiceId(id).value(), caller.requireMerchant()).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Operation(summary = "List invoices", description = "Newest first, cursor-paginated with limit (1..100, default 20) and starting_after "
            + "(an invoice id); customer_id and status (open, paid, void) filter.")
    @ApiResponse(responseCode = "200", description = "A page of invoices")
    @ProblemResponse(status = 422, description = "invalid_limit, invalid_status, or invalid_starting_after (no invoice of yours)")
    @GetMapping
    public Mono<Page<InvoiceV1>> list(Caller caller,
                                      @RequestParam(name = "customer_id", required = false) String customerId,
                                      @RequestParam(name = "status", required = false) String status,
                                      @RequestParam(name = "limit", required = false) String limit,
                                      @RequestParam(name = "starting_after", required = false) String startingAfter) {
        String merchantId = caller.requireMerchant();
        // An empty filter (?status=) filters nothing.
        InvoiceStatus only = status == null || status.isEmpty() ? null : InvoiceStatus.fromWireName(status)
                .orElseThrow(() -> Problem.invalidField("status", "status must be open, paid or void").toException());
        String customer = customerId == null || customerId.isEmpty() ? null : customerId;
        PageRequest page = PageRequest.of(limit, startingAfter);
        return CursorPages.of(page, readModel.list(merchantId, new InvoiceQueries.Filter(customer, only), page),
                cursor -> readModel.find(cursor, merchantId));
    }

    @Operation(summary = "Update an invoice", description = "Only while open with nothing paid. A merge patch of amount, description, "
            + "due_date and metadata: absent fields stay, description or due_date null removes it, metadata keys merge and a key set to "
            + "null is removed (metadata null removes all). Publishes invoice.updated when something changed.")
    @ApiResponse(responseCode = "200", description = "The invoice")
    @ProblemResponse(status = 400, description = "malformed_json or missing_body")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's invoice")
    @ProblemResponse(status = 409, description = "invoice_not_editable (paid, void, or partly paid); invoice_edit_limit_reached (100 edits); "
            + "invoice_changed_concurrently (retry, see Retry-After)")
    @ProblemResponse(status = 422, description = "invalid_amount, invalid_description, invalid_due_date, invalid_metadata (also more than 50 "
            + "keys once merged), unknown_parameter (currency and customer_id cannot change); param names the field")
    @PatchMapping(path = "/{id}", consumes = "application/json")
    public Mono<InvoiceV1> update(Caller caller, @PathVariable String id, @RequestBody(required = false) UpdateInvoiceRequest request) {
        String merchantId = caller.requireMerchant();
        var edit = InvoiceRequests.edit(request);
        return answer(id, commands.edit(merchantId, invoiceId(id), edit));
    }

    @Operation(summary = "Void an invoice", description = "Only while open with nothing paid; void is final. Publishes invoice.voided.")
    @ApiResponse(responseCode = "200", description = "The invoice, void")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's invoice")
    @ProblemResponse(status = 409, description = "invoice_not_voidable (void already, paid, or partly paid); "
            + "invoice_changed_concurrently (retry, see Retry-After)")
    @PostMapping(path = "/{id}/void")
    public Mono<InvoiceV1> voidInvoice(Caller caller, @PathVariable String id) {
        return answer(id, commands.voidInvoice(caller.requireMerchant(), invoiceId(id)));
    }

    @Operation(summary = "The payments applied to an invoice", description = "Each payment whose capture paid the invoice, with what its "
            + "refunds took back; newest first, cursor-paginated with limit (1..100, default 20) and starting_after (a payment id).")
    @ApiResponse(responseCode = "200", description = "A page of payments")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's invoice")
    @ProblemResponse(status = 422, description = "invalid_limit, or invalid_starting_after (no payment applied to this invoice)")
    @GetMapping("/{id}/payments")
    public Mono<Page<InvoicePayment>> payments(Caller caller, @PathVariable String id,
                                               @RequestParam(name = "limit", required = false) String limit,
                                               @RequestParam(name = "starting_after", required = false) String startingAfter) {
        String merchantId = caller.requireMerchant();
        String invoiceId = invoiceId(id).value();
        PageRequest page = PageRequest.of(limit, startingAfter);
        return readModel.find(invoiceId, merchantId)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(invoice -> CursorPages.of(page, readModel.payments(invoiceId, merchantId, page),
                        cursor -> readModel.payment(invoiceId, merchantId, cursor)));
    }

    /** The invoice a command on it led to, or the problem that says why there is none. */
    private static Mono<InvoiceV1> answer(String id, Mono<Outcome> command) {
        return command.onErrorMap(Exceptions::isRetryExhausted, exhausted -> concurrentChange(id))
                .map(outcome -> InvoiceContractMapper.toContract(done(id, outcome).invoice()));
    }

    /** The command's result, or the problem that says why there is none. */
    private static Outcome.Done done(String id, Outcome outcome) {
        if (outcome instanceof Outcome.Done done) {
            return done;
        }
        if (outcome instanceof Outcome.Refused refused) {
            Rejection rejection = refused.rejection().rejection();
            if (rejection == Rejection.METADATA_KEYS_EXCEEDED) {
                throw Problem.invalidField("metadata", refused.rejection().detail()).toException();
            }
            throw Problem.of(HttpStatus.CONFLICT, rejection.code(), refused.rejection().detail()).toException();
        }
        throw notFound(id);
    }

    /**
     * The command lost every race with concurrent changes of the invoice (payments applied, other
     * edits). Nothing was changed; the client is asked to retry.
     */
    private static RuntimeException concurrentChange(String id) {
        return Problem.of(HttpStatus.CONFLICT, "invoice_changed_concurrently",
                "invoice " + id + " is being changed by other requests or payments; retry").withRetryAfter(Duration.ofSeconds(1)).toException();
    }

    private static InvoiceId invoiceId(String id) {
        if (id == null || !id.startsWith(InvoiceId.PREFIX) || id.length() > ID_LENGTH_MAX) {
            throw notFound(id);
        }
        return new InvoiceId(id);
    }

    private static RuntimeException notFound(String id) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No invoice " + id, "id", Map.of(), null).toException();
    }
}
