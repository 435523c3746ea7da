package dev.paystream.payment.settlement.adapter.web;

import dev.paystream.events.v1.SettlementV1;
import dev.paystream.payment.settlement.adapter.contract.SettlementContractMapper;
import dev.paystream.payment.settlement.application.SettlementQueries;
import dev.paystream.payment.settlement.application.SettlementRunner;
import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.money.ActiveCurrencies;
import dev.paystream.platform.web.CursorPages;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * CONTRACT §8: settlement batches run now for the caller, read back, and their files. An Idempotency-Key
 * on the POST is honoured (the platform's filter) but not required.
 */
@Tag(name = "Settlements", description = "CONTRACT §8")
@RestController
@RequestMapping(path = "/v1/settlements")
public class SettlementController {

    /** What a settlement file is sent as (RFC 4180 with its charset, RFC 7111). */
    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    /** Lines turned into one chunk of the file's body. */
    static final int LINES_PER_CHUNK = 500;

    private final SettlementRunner runner;
    private final SettlementQueries settlements;

    public SettlementController(SettlementRunner runner, SettlementQueries settlements) {
        this.runner = runner;
        this.settlements = settlements;
    }

    /** The body of {@code POST /v1/settlements}: the currency to settle, every currency when absent. */
    public record SettleRequest(String currency) {
    }

    /** The answer of {@code POST /v1/settlements}: the settlements made, one per currency. */
    public record Settled(List<SettlementV1> data) {
    }

    @Operation(summary = "Settle now", description = "Settles your captured, unsettled payments and your unsettled refunds in one batch per "
            + "currency (or only in currency), as the daily schedule does; fees per payment round_half_up(amount × 2.9 %) + 30 by default.")
    @ApiResponse(responseCode = "201", description = "The settlements made, one per currency with something to settle")
    @ApiResponse(responseCode = "200", description = "Nothing to settle: data is empty")
    @ProblemResponse(status = 422, description = "invalid_currency, unknown_parameter")
    @PostMapping(produces = "application/json")
    public Mono<ResponseEntity<Settled>> settle(Caller caller, @RequestBody(required = false) SettleRequest request) {
        String merchantId = caller.requireMerchant();
        String currency = currency(request);
        return runner.settle(merchantId, currency).map(SettlementContractMapper::toContract).collectList()
                .map(made -> ResponseEntity.status(made.isEmpty() ? HttpStatus.OK : HttpStatus.CREATED).body(new Settled(made)));
    }

    @Operation(summary = "Retrieve a settlement")
    @ApiResponse(responseCode = "200", description = "The settlement")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's settlement")
    @GetMapping(path = "/{id}", produces = "application/json")
    public Mono<SettlementV1> get(Caller caller, @PathVariable String id) {
        return settlements.find(id, caller.requireMerchant()).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Operation(summary = "List settlements", description = "Newest first, cursor-paginated with limit (1..100, default 20) and starting_after.")
    @ApiResponse(responseCode = "200", description = "A page of settlements")
    @ProblemResponse(status = 422, description = "An invalid limit, or a starting_after that is no settlement of yours")
    @GetMapping(produces = "application/json")
    public Mono<Page<SettlementV1>> list(Caller caller,
                                         @RequestParam(name = "limit", required = false) String limit,
                                         @RequestParam(name = "starting_after", required = false) String startingAfter) {
        PageRequest page = PageRequest.of(limit, startingAfter);
        String merchantId = caller.requireMerchant();
        return CursorPages.of(page, settlements.list(merchantId, page), cursor -> settlements.find(cursor, merchantId));
    }

    @Operation(summary = "Download a settlement file", description = "text/csv (RFC 4180, UTF-8): a header row and one row per payment or "
            + "refund of the settlement, refunds negative, amounts in minor units; net_amount sums to the settlement's net_amount.")
    @ApiResponse(responseCode = "200", description = "The file, streamed")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's settlement")
    @GetMapping(path = "/{id}/file", produces = {"text/csv", "application/problem+json"})
    public Mono<ResponseEntity<Flux<DataBuffer>>> file(Caller caller, @PathVariable String id) {
        return settlements.find(id, caller.requireMerchant())
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .map(settlement -> ResponseEntity.ok()
                        .contentType(TEXT_CSV)
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + settlement.id() + ".csv\"")
                        .body(Flux.concat(Mono.fromSupplier(SettlementFile::header),
                                        settlements.lines(settlement.id()).buffer(LINES_PER_CHUNK).map(SettlementFile::lines))
                                .map(text -> DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8)))));
    }

    private static String currency(SettleRequest request) {
        if (request == null || request.currency() == null) {
            return null;
        }
        return ActiveCurrencies.of(request.currency())
                .orElseThrow(() -> Problem.invalidField("currency", "currency " + request.currency()
                        + " is not an ISO 4217 currency in circulation").toException())
                .getCurrencyCode();
    }

    private static RuntimeException notFound(String id) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No settlement " + id, "id", Map.of(), null).toException();
    }
}
