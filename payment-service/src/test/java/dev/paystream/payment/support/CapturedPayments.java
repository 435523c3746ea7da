package dev.paystream.payment.support;

import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.domain.AuthorizationOutcome;
import dev.paystream.payment.payment.domain.CaptureMethod;
import dev.paystream.payment.payment.domain.CardSummary;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentDetails;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.payment.domain.PaymentMethodType;
import dev.paystream.platform.ids.TimeOrderedIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * Many captured card payments of one merchant, fast enough for the settlement benchmark (100,000 in a minute
 * or two rather than the hours the API would take at a few hundred per second) yet exactly as the service
 * records them: each one is decided by {@link Payment#authorize} (approved, captured automatically) and
 * written by the service's own {@link PaymentEventStore#append}, one statement per payment with its
 * {@code payment.authorized} and {@code payment.captured} events, their outbox rows and its read-model row.
 * What is skipped is only what lies before the append: HTTP, the idempotency key and the simulated card
 * processor.
 *
 * <p>Amounts are deterministic and varied ({@link #amount}): odd ones whose 2.9 % rounds half up, ones that
 * round down, and small ones whose fee is only the fixed part, so the totals test the fee rule, not one case.
 */
public final class CapturedPayments {

    /** Appends running at once: enough to keep PostgreSQL and the pool busy, not so many that they only queue. */
    private static final int CONCURRENT_APPENDS = 16;

    private CapturedPayments() {
    }

    /** The amount of the {@code index}-th payment: from 1 to 99,999 minor units, a different one for every index below 99,999. */
    public static long amount(int index) {
        return 1 + (index * 7_919L) % 99_999;
    }

    /** The fee the default rule takes of {@code amount}: round_half_up(amount × 2.9 %) + 30, computed here on its own. */
    public static long defaultFee(long amount) {
        return (amount * 29 + 500) / 1000 + 30;
    }

    /** Records {@code count} captured USD payments of {@code merchantId}; completes when all are written. */
    public static void record(PaymentEventStore store, String merchantId, int count) {
        Flux.range(0, count)
                .flatMap(index -> {
                    PaymentId id = new PaymentId(TimeOrderedIds.newId(PaymentId.PREFIX));
                    PaymentDetails details = new PaymentDetails(merchantId, Money.of(amount(index), "USD"), PaymentMethodType.CARD,
                            new CardSummary("visa", "4242", 12, 2030), CaptureMethod.AUTOMATIC, null, null, "Order #" + index,
                            Map.of("order_id", Integer.toString(index)));
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    return store.append(null, Payment.authorize(id, details, new AuthorizationOutcome.Approved("A1B2C3"), now), null, null);
                }, CONCURRENT_APPENDS)
                .then()
                .block();
    }
}
