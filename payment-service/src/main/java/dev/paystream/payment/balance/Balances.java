package dev.paystream.payment.balance;

import dev.paystream.payment.payout.application.AvailableBalance;
import dev.paystream.platform.failure.CauseChain;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.SqlPart;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Mono;

/**
 * The merchant's balances per currency (CONTRACT §6). {@code balances} keeps two running sums per
 * merchant and currency: {@code settled_net}, the net of every completed settlement, and {@code paid_out},
 * the payouts not failed; available is their difference. Both change only as parts of the appends that
 * cause them — a settlement's completion credits {@code settled_net}, a payout's creation adds to
 * {@code paid_out} and its failure takes it off again — so the balance is always the sum of recorded facts.
 *
 * <p>The table's trigger refuses any increase of {@code paid_out} past {@code settled_net}: the second of
 * two payouts racing for the same money waits for the first one's row lock, sees its draw, and is refused,
 * which rolls its whole append back. A settlement may lower {@code settled_net} below {@code paid_out}
 * (refunds of money paid out already): the balance is then negative and no payout passes.
 *
 * <p>Pending is computed from the payments and refunds not settled yet: captured minus refunded.
 * Payments and refunds enter it with their events and leave it with the settlement that carries them.
 */
public final class Balances implements AvailableBalance {

    /** The constraint name the trigger raises, to tell its refusal from any other failure. */
    static final String GUARD = "available_balance_not_exceeded";

    /** An amount in one currency, as {@code GET /v1/balance} lists it. */
    public record Amount(String currency, long amount) {
    }

    /** {@code GET /v1/balance}: available and pending, per currency, both lists naming the same currencies. */
    public record Balance(List<Amount> available, List<Amount> pending) {
    }

    private final DatabaseClient database;

    public Balances(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Long> available(String merchantId, String currency) {
        return database.sql("SELECT settled_net - paid_out AS available FROM balances WHERE merchant_id = :merchantId AND currency = :currency")
                .bind("merchantId", merchantId)
                .bind("currency", currency)
                .map(row -> row.get("available", Long.class))
                .one()
                .defaultIfEmpty(0L);
    }

    /** The merchant's balance in every currency it has settled, paid out or captured in. */
    public Mono<Balance> of(String merchantId) {
        Mono<Map<String, Long>> available = database.sql("SELECT currency, settled_net - paid_out AS amount FROM balances WHERE merchant_id = :merchantId")
                .bind("merchantId", merchantId)
                .map(row -> Map.entry(row.get("currency", String.class), row.get("amount", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        Mono<Map<String, Long>> pending = database.sql(PENDING)
                .bind("merchantId", merchantId)
                .map(row -> Map.entry(row.get("currency", String.class), row.get("amount", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(available, pending).map(both -> {
            Map<String, long[]> byCurrency = new TreeMap<>();
            both.getT1().forEach((currency, amount) -> byCurrency.computeIfAbsent(currency, any -> new long[2])[0] = amount);
            both.getT2().forEach((currency, amount) -> byCurrency.computeIfAbsent(currency, any -> new long[2])[1] = amount);
            return new Balance(
                    byCurrency.entrySet().stream().map(entry -> new Amount(entry.getKey(), entry.getValue()[0]))
                            .sorted(Comparator.comparing(Amount::currency)).toList(),
                    byCurrency.entrySet().stream().map(entry -> new Amount(entry.getKey(), entry.getValue()[1]))
                            .sorted(Comparator.comparing(Amount::currency)).toList());
        });
    }

    /**
     * Captured minus refunded, not settled yet: the captures of payments not settled, minus the refunds not
     * settled (also those of payments settled earlier), plus what a batch being built holds already (its
     * lines left the two sets above and reach the available balance only when it completes).
     */
    private static final String PENDING = """
            SELECT currency, sum(amount)::bigint AS amount FROM (
                SELECT currency, amount_captured AS amount FROM payments
                WHERE merchant_id = :merchantId AND settlement_id IS NULL AND amount_captured > 0
                UNION ALL
                SELECT currency, -amount FROM refunds WHERE merchant_id = :merchantId AND settlement_id IS NULL
                UNION ALL
                SELECT currency, gross_amount - refunded_amount FROM settlements WHERE merchant_id = :merchantId AND status <> 'completed'
            ) AS unsettled
            GROUP BY currency""";

    /** A part that draws {@code amount} on the available balance for a new payout; the trigger refuses an overdraft. */
    public static SqlPart drawn(String part, String merchantId, String currency, long amount) {
        return SqlPart.of("INSERT INTO balances (merchant_id, currency, paid_out) SELECT :" + part + "_merchant, :" + part + "_currency, :"
                        + part + "_amount WHERE " + AppendStatement.FENCED
                        + " ON CONFLICT (merchant_id, currency) DO UPDATE SET paid_out = balances.paid_out + EXCLUDED.paid_out",
                bindings(part, merchantId, currency, amount));
    }

    /** A part that gives a failed payout's {@code amount} back to the available balance. */
    public static SqlPart returned(String part, String merchantId, String currency, long amount) {
        return SqlPart.of("UPDATE balances SET paid_out = paid_out - :" + part + "_amount WHERE merchant_id = :" + part
                + "_merchant AND currency = :" + part + "_currency AND " + AppendStatement.FENCED, bindings(part, merchantId, currency, amount));
    }

    /** A part that credits a completed settlement's {@code net} (which may be negative) to the available balance. */
    public static SqlPart credited(String part, String merchantId, String currency, long net) {
        return SqlPart.of("INSERT INTO balances (merchant_id, currency, settled_net) SELECT :" + part + "_merchant, :" + part + "_currency, :"
                        + part + "_amount WHERE " + AppendStatement.FENCED
                        + " ON CONFLICT (merchant_id, currency) DO UPDATE SET settled_net = balances.settled_net + EXCLUDED.settled_net",
                bindings(part, merchantId, currency, net));
    }

    /** Whether {@code failure} is the balance's trigger refusing a payout that would overdraw it. */
    public static boolean refusedByTheGuard(Throwable failure) {
        return CauseChain.first(failure, cause -> cause.getMessage() != null && cause.getMessage().contains(GUARD)).isPresent();
    }

    private static Map<String, Parameter> bindings(String part, String merchantId, String currency, long amount) {
        return Map.of(part + "_merchant", Parameter.from(merchantId), part + "_currency", Parameter.from(currency),
                part + "_amount", Parameter.from(amount));
    }
}
