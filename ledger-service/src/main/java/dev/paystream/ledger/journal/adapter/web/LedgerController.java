package dev.paystream.ledger.journal.adapter.web;

import dev.paystream.ledger.journal.application.EntryPage;
import dev.paystream.ledger.journal.application.EntryQuery;
import dev.paystream.ledger.journal.application.LedgerQueries;
import dev.paystream.ledger.journal.domain.AccountType;
import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.RequestFields;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The ledger's read API (CONTRACT §9). A merchant sees only its own entries and accounts. */
@RestController
@RequestMapping(path = "/v1/ledger", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Ledger", description = "The double-entry journal built from the events of payments, settlements and payouts")
public class LedgerController {

    /** Ids are short; a longer one names nothing. */
    private static final int ID_LENGTH_MAX = 255;

    private final LedgerQueries queries;

    public LedgerController(LedgerQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/entries")
    @Operation(summary = "List the caller's journal entries, newest first",
            description = "The filters combine: an entry is listed when it matches every filter given.")
    public Mono<Page<JournalEntryResponse>> entries(
            @Parameter(hidden = true) Caller caller,
            @Parameter(description = "Only the entries of this payment")
            @RequestParam(name = "payment_id", required = false) String paymentId,
            @Parameter(description = "Only the entries of this payout")
            @RequestParam(name = "payout_id", required = false) String payoutId,
            @Parameter(description = "Only the entries of this settlement")
            @RequestParam(name = "settlement_id", required = false) String settlementId,
            @Parameter(description = "Only the entries with a line on this account",
                    schema = @Schema(allowableValues = {"customer_funds", "merchant_pending", "merchant_available", "fees", "payouts"}))
            @RequestParam(name = "account", required = false) String account,
            @Parameter(description = "How many entries, 1 to 100", schema = @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "20"))
            @RequestParam(name = "limit", required = false) String limit,
            @Parameter(description = "The id of the entry after which the page starts (the last entry of the previous page)")
            @RequestParam(name = "starting_after", required = false) String startingAfter) {
        String merchantId = caller.requireMerchant();
        PageRequest page = PageRequest.of(limit, blankAsAbsent(startingAfter));
        EntryQuery query = new EntryQuery(merchantId, id("payment_id", paymentId), id("payout_id", payoutId),
                id("settlement_id", settlementId), account(account), null, page.limit());
        if (page.startingAfter() == null) {
            return queries.entries(query).map(LedgerController::list);
        }
        return queries.cursor(merchantId, page.startingAfter())
                // Another merchant's entry gets the same answer as no entry: its existence is not revealed.
                .switchIfEmpty(Mono.error(page::unknownCursor))
                .flatMap(cursor -> queries.entries(query.startingAfter(cursor)))
                .map(LedgerController::list);
    }

    @GetMapping("/balances")
    @Operation(summary = "The caller's accounts and their balances",
            description = "balance is debits - credits for customer_funds and credits - debits for every other account.")
    public Mono<BalanceList> balances(@Parameter(hidden = true) Caller caller) {
        String merchantId = caller.requireMerchant();
        return queries.balances(merchantId)
                .map(balances -> new BalanceList(balances.stream().map(BalanceList.Balance::of).toList()));
    }

    @GetMapping("/trial-balance")
    @Operation(summary = "Debits and credits per currency across all merchants (operators only)")
    public Mono<TrialBalanceResponse> trialBalance(@Parameter(hidden = true) Caller caller) {
        caller.requireAdmin();
        return queries.trialBalance().map(TrialBalanceResponse::of);
    }

    @GetMapping("/drift")
    @Operation(summary = "What the ledger's reconciliation checks find (operators only)",
            description = "Every check in every currency, across all merchants: the sum of the absolute differences in minor units "
                    + "(0 when the ledger agrees), how many objects differ and the largest differences. A difference may show for a "
                    + "moment while the events are consumed; one that lasts is drift. drift is the sum over every check and currency.")
    public Mono<DriftResponse> drift(
            @Parameter(hidden = true) Caller caller,
            @Parameter(description = "Only this merchant's accounts, batches and payments")
            @RequestParam(name = "merchant_id", required = false) String merchantId) {
        caller.requireAdmin();
        return queries.drift(id("merchant_id", merchantId)).map(DriftResponse::of);
    }

    /** An empty filter filters nothing, as in every list of the API. */
    private static String blankAsAbsent(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String id(String field, String value) {
        return RequestFields.identifier(field, blankAsAbsent(value), ID_LENGTH_MAX);
    }

    private static AccountType account(String code) {
        String given = blankAsAbsent(code);
        if (given == null) {
            return null;
        }
        return AccountType.fromCode(given).orElseThrow(() -> Problem.invalidField("account", "account must be one of "
                + Arrays.stream(AccountType.values()).map(AccountType::code).collect(Collectors.joining(", "))).toException());
    }

    private static Page<JournalEntryResponse> list(EntryPage page) {
        return new Page<>(page.entries().stream().map(JournalEntryResponse::of).toList(), page.hasMore());
    }
}
