package dev.paystream.payment.balance;

import dev.paystream.platform.caller.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** CONTRACT §6: the caller's balance, available and pending, per currency. */
@Tag(name = "Balance", description = "CONTRACT §6")
@RestController
public class BalanceController {

    private final Balances balances;

    public BalanceController(Balances balances) {
        this.balances = balances;
    }

    @Operation(summary = "Retrieve your balance", description = "available: settled net minus payouts not failed, what payouts may draw on; "
            + "pending: captured minus refunded, not settled yet. Both in minor units, per currency, and may be negative.")
    @ApiResponse(responseCode = "200", description = "The balance")
    @GetMapping(path = "/v1/balance", produces = "application/json")
    public Mono<Balances.Balance> balance(Caller caller) {
        return balances.of(caller.requireMerchant());
    }
}
