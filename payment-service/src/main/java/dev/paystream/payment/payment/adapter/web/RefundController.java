package dev.paystream.payment.payment.adapter.web;

import dev.paystream.events.v1.RefundV1;
import dev.paystream.payment.payment.application.RefundQueries;
import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.web.CursorPages;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import dev.paystream.platform.web.RequestFields;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** CONTRACT §5: refunds as a resource of their own, made by {@code POST /v1/payments/{id}/refunds}. */
@Tag(name = "Refunds", description = "CONTRACT §5")
@RestController
@RequestMapping(path = "/v1/refunds", produces = "application/json")
public class RefundController {

    private final RefundQueries refunds;

    public RefundController(RefundQueries refunds) {
        this.refunds = refunds;
    }

    @Operation(summary = "Retrieve a refund")
    @ApiResponse(responseCode = "200", description = "The refund")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's refund")
    @GetMapping("/{id}")
    public Mono<RefundV1> get(Caller caller, @PathVariable String id) {
        return refunds.find(id, caller.requireMerchant()).switchIfEmpty(Mono.error(() -> new Problem(HttpStatus.NOT_FOUND,
                "resource_missing", "No refund " + id, "id", Map.of(), null).toException()));
    }

    @Operation(summary = "List refunds", description = "Newest first, of one payment when payment_id is given; cursor-paginated with "
            + "limit (1..100, default 20) and starting_after.")
    @ApiResponse(responseCode = "200", description = "A page of refunds")
    @ProblemResponse(status = 422, description = "An invalid limit, or a starting_after that is no refund of yours")
    @GetMapping
    public Mono<Page<RefundV1>> list(Caller caller,
                                     @RequestParam(name = "payment_id", required = false) String paymentId,
                                     @RequestParam(name = "limit", required = false) String limit,
                                     @RequestParam(name = "starting_after", required = false) String startingAfter) {
        RequestFields.identifier("payment_id", paymentId, PaymentRequests.ID_LENGTH_MAX);
        PageRequest page = PageRequest.of(limit, startingAfter);
        String merchantId = caller.requireMerchant();
        return CursorPages.of(page, refunds.list(merchantId, paymentId, page), cursor -> refunds.find(cursor, merchantId));
    }
}
