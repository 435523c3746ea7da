package dev.paystream.payment.payout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutCreated;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutFailed;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutPaid;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given events, when a command, then events or a named rejection. */
class PayoutTest {

    static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    static final Instant LATER = NOW.plusSeconds(2);
    static final PayoutId ID = new PayoutId("po_fixture");

    static PayoutDetails details(long amount) {
        return new PayoutDetails("mer_fixture", "unixuser1", Money.of(amount, "USD"), PayoutMethod.BANK_TRANSFER, "Store credit",
                Map.of("ticket", "T-42"));
    }

    static Payout aPendingPayout(long amount) {
        return Payout.replay(List.of(new PayoutCreated(ID, details(amount), NOW)));
    }

    @Nested
    class Creating {

        @Test
        void aPayoutWithinTheAvailableBalanceIsCreatedPending() {
            Decision decision = Payout.create(ID, details(2500), Money.of(2500, "USD"), NOW);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new PayoutCreated(ID, details(2500), NOW))));
            Payout payout = Payout.replay(((Decision.Accepted) decision).events());
            assertThat(payout.status()).isEqualTo(PayoutStatus.PENDING);
            assertThat(payout.amountDrawn()).isEqualTo(2500);
            assertThat(payout.version()).isEqualTo(1);
        }

        @Test
        void refusesPayoutAboveAvailableBalance() {
            Decision decision = Payout.create(ID, details(2501), Money.of(2500, "USD"), NOW);

            assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
                assertThat(rejected.rejection()).isEqualTo(Rejection.INSUFFICIENT_AVAILABLE_BALANCE);
                assertThat(rejected.rejection().code()).isEqualTo("insufficient_available_balance");
                assertThat(rejected.param()).isEqualTo("amount");
                assertThat(rejected.detail()).contains("2501").contains("2500 USD");
            });
        }
    }

    @Nested
    class Completing {

        @Test
        void aPaidPayoutKeepsDrawingOnTheBalance() {
            Decision decision = aPendingPayout(2500).complete(new PayoutOutcome.Paid(), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new PayoutPaid(ID, LATER))));
            Payout paid = Payout.evolve(aPendingPayout(2500), ((Decision.Accepted) decision).events().get(0));
            assertThat(paid.status()).isEqualTo(PayoutStatus.PAID);
            assertThat(paid.amountDrawn()).isEqualTo(2500);
            assertThat(paid.updatedAt()).isEqualTo(LATER);
            assertThat(paid.createdAt()).isEqualTo(NOW);
            assertThat(paid.version()).isEqualTo(2);
        }

        @Test
        void aFailedPayoutGivesItsAmountBackAndSaysWhy() {
            Decision decision = aPendingPayout(1002).complete(new PayoutOutcome.Failed("account_closed"), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new PayoutFailed(ID, "account_closed", LATER))));
            Payout failed = Payout.evolve(aPendingPayout(1002), ((Decision.Accepted) decision).events().get(0));
            assertThat(failed.status()).isEqualTo(PayoutStatus.FAILED);
            assertThat(failed.failureCode()).isEqualTo("account_closed");
            assertThat(failed.amountDrawn()).isZero();
        }

        @Test
        void aPayoutIsCompletedOnlyOnce() {
            Payout paid = Payout.replay(List.of(new PayoutCreated(ID, details(2500), NOW), new PayoutPaid(ID, LATER)));

            Decision again = paid.complete(new PayoutOutcome.Failed("account_closed"), LATER.plusSeconds(1));

            assertThat(again).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYOUT_NOT_PENDING));
        }
    }
}
