package dev.paystream.ledger.support;

import dev.paystream.events.EventTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random valid lives of money for property tests: a small payment-service that captures, refunds (in
 * parts, before and after settlement), settles in batches with fees and pays out (paid or failed), as
 * CONTRACT §5, §6 and §8 say, publishing the events it would publish. Beside the events it keeps its
 * own figures — a simple model of where the money stands, computed from what it did, not from posting
 * rules — which the ledger's balances must equal once it has posted every event.
 *
 * <p>{@link #deliveries} then shuffles the events as Kafka may deliver them to the ledger: the events of
 * one key in their order (one partition), the keys interleaved at random, and records delivered again.
 */
public final class MoneyLifecycles {

    private static final List<String> CURRENCIES = List.of("USD", "JPY");
    private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");

    /** Where one merchant's money stands in one currency, by the simulation's own bookkeeping. */
    public record Figures(long customerFunds, long merchantPending, long merchantAvailable, long fees, long payouts) {

        /** The account balances as the ledger reports them (each on its normal side), by account code. */
        public Map<String, Long> byAccount() {
            Map<String, Long> accounts = new LinkedHashMap<>();
            accounts.put("customer_funds", customerFunds);
            accounts.put("merchant_pending", merchantPending);
            accounts.put("merchant_available", merchantAvailable);
            accounts.put("fees", fees);
            accounts.put("payouts", payouts);
            return accounts;
        }
    }

    /**
     * What one life produced.
     *
     * @param events        every event in the order payment-service published it
     * @param figures       per merchant, then currency, where the money stands
     * @param movingMoney   how many of the events move money (must each give exactly one entry)
     */
    public record Life(List<TestEvent> events, Map<String, Map<String, Figures>> figures, int movingMoney) {
    }

    private MoneyLifecycles() {
    }

    /** A life of at most {@code actionsMax} actions by one or two merchants in one or two currencies. */
    public static Life life(SplittableRandom random, int actionsMax) {
        Simulation simulation = new Simulation(random);
        int merchants = 1 + random.nextInt(2);
        for (int index = 0; index < merchants; index++) {
            simulation.merchants.add(PaymentEvents.newMerchantId());
        }
        int actions = 1 + random.nextInt(actionsMax);
        for (int action = 0; action < actions; action++) {
            simulation.act();
        }
        // Usually settle at the end too, so that lives end in every state: with and without pending money.
        if (random.nextInt(3) > 0) {
            for (String merchant : simulation.merchants) {
                for (String currency : CURRENCIES) {
                    simulation.settle(merchant, currency);
                }
            }
        }
        return new Life(List.copyOf(simulation.events), simulation.figures(), simulation.movingMoney);
    }

    /**
     * The events as the ledger may receive them: per key in publication order, keys interleaved at
     * random, and about {@code redeliveryPercent} % of the records delivered once more, later (a
     * consumer that restarts before committing reads them again).
     */
    public static List<TestEvent> deliveries(List<TestEvent> events, SplittableRandom random, int redeliveryPercent) {
        Map<String, List<TestEvent>> byKey = new LinkedHashMap<>();
        for (TestEvent event : events) {
            byKey.computeIfAbsent(event.topic() + "/" + event.key(), key -> new ArrayList<>()).add(event);
        }
        List<List<TestEvent>> queues = new ArrayList<>(byKey.values());
        int[] next = new int[queues.size()];
        List<TestEvent> delivered = new ArrayList<>(events.size() * 2);
        int remaining = events.size();
        while (remaining > 0) {
            int queue = random.nextInt(queues.size());
            if (next[queue] == queues.get(queue).size()) {
                continue;
            }
            delivered.add(queues.get(queue).get(next[queue]++));
            remaining--;
            if (random.nextInt(100) < redeliveryPercent) {
                delivered.add(delivered.get(random.nextInt(delivered.size())));
            }
        }
        return delivered;
    }

    /** The fee of one captured payment, CONTRACT §8: round_half_up(amount × 2.9 %) + 30 minor units. */
    public static long fee(long amount) {
        return (amount * 29 + 500) / 1000 + 30;
    }

    private static final class Payment {
        final String id;
        final String merchant;
        final String currency;
        final long captured;
        long refunded;
        boolean settled;

        Payment(String id, String merchant, String currency, long captured) {
            this.id = id;
            this.merchant = merchant;
            this.currency = currency;
            this.captured = captured;
        }
    }

    private static final class Refund {
        final String merchant;
        final String currency;
        final long amount;
        boolean settled;

        Refund(String merchant, String currency, long amount) {
            this.merchant = merchant;
            this.currency = currency;
            this.amount = amount;
        }
    }

    private record Payout(String id, String merchant, String currency, long amount) {
    }

    private static final class Totals {
        long captured;
        long refunded;
        long settledNet;
        long fees;
        long paidOut;
    }

    private static final class Simulation {
        final SplittableRandom random;
        final List<String> merchants = new ArrayList<>();
        final List<Payment> payments = new ArrayList<>();
        final List<Refund> refunds = new ArrayList<>();
        final List<Payout> pendingPayouts = new ArrayList<>();
        final Map<String, Totals> totals = new HashMap<>();
        final List<TestEvent> events = new ArrayList<>();
        Instant now = START;
        int movingMoney;

        Simulation(SplittableRandom random) {
            this.random = random;
        }

        void act() {
            now = now.plusSeconds(1 + random.nextInt(600));
            int choice = random.nextInt(100);
            if (choice < 35) {
                pay();
            } else if (choice < 55) {
                refund();
            } else if (choice < 70) {
                settle(pick(merchants), pick(CURRENCIES));
            } else if (choice < 85) {
                createPayout();
            } else {
                completePayout();
            }
        }

        void pay() {
            String merchant = pick(merchants);
            String currency = pick(CURRENCIES);
            String paymentId = PaymentEvents.newPaymentId();
            long amount = amount();
            int outcome = random.nextInt(10);
            if (outcome == 0) {
                publish(PaymentEvents.withoutCapture(EventTypes.PAYMENT_DECLINED, merchant, paymentId, amount, currency, now), false);
                return;
            }
            publish(PaymentEvents.authorized(merchant, paymentId, amount, currency, now), false);
            if (outcome == 1) {
                publish(PaymentEvents.withoutCapture(EventTypes.PAYMENT_CANCELED, merchant, paymentId, amount, currency, now), false);
                return;
            }
            publish(PaymentEvents.captured(merchant, paymentId, amount, currency, now), true);
            payments.add(new Payment(paymentId, merchant, currency, amount));
            totals(merchant, currency).captured += amount;
        }

        void refund() {
            List<Payment> refundable = payments.stream().filter(payment -> payment.refunded < payment.captured).toList();
            if (refundable.isEmpty()) {
                return;
            }
            Payment payment = pick(refundable);
            long left = payment.captured - payment.refunded;
            // Often everything that is left, often a part of it.
            long amount = random.nextBoolean() ? left : 1 + random.nextLong(left);
            payment.refunded += amount;
            publish(PaymentEvents.refunded(payment.merchant, payment.id, payment.captured, amount, payment.refunded, payment.currency, now),
                    true);
            refunds.add(new Refund(payment.merchant, payment.currency, amount));
            totals(payment.merchant, payment.currency).refunded += amount;
        }

        /** One batch, as payment-service makes it: every captured payment and every refund not settled yet. */
        void settle(String merchant, String currency) {
            List<Payment> batchPayments = payments.stream()
                    .filter(payment -> !payment.settled && payment.merchant.equals(merchant) && payment.currency.equals(currency))
                    .toList();
            List<Refund> batchRefunds = refunds.stream()
                    .filter(refund -> !refund.settled && refund.merchant.equals(merchant) && refund.currency.equals(currency))
                    .toList();
            if (batchPayments.isEmpty() && batchRefunds.isEmpty()) {
                return;
            }
            String settlementId = PaymentEvents.newSettlementId();
            long gross = 0;
            long fees = 0;
            for (Payment payment : batchPayments) {
                long fee = fee(payment.captured);
                publish(PaymentEvents.settled(merchant, payment.id, settlementId, payment.captured, fee, currency, now), false);
                payment.settled = true;
                gross += payment.captured;
                fees += fee;
            }
            long refunded = 0;
            for (Refund refund : batchRefunds) {
                refund.settled = true;
                refunded += refund.amount;
            }
            publish(PaymentEvents.settlementCompleted(merchant, settlementId, batchPayments.size(), batchRefunds.size(), gross, refunded,
                    fees, currency, now), true);
            Totals merchantTotals = totals(merchant, currency);
            merchantTotals.settledNet += gross - refunded - fees;
            merchantTotals.fees += fees;
        }

        /** A payout of at most what is available (payment-service refuses more), when something is. */
        void createPayout() {
            String merchant = pick(merchants);
            String currency = pick(CURRENCIES);
            Totals merchantTotals = totals(merchant, currency);
            long available = merchantTotals.settledNet - merchantTotals.paidOut;
            if (available <= 0) {
                return;
            }
            long amount = random.nextBoolean() ? available : 1 + random.nextLong(available);
            Payout payout = new Payout(PaymentEvents.newPayoutId(), merchant, currency, amount);
            publish(PaymentEvents.payout(EventTypes.PAYOUT_CREATED, merchant, payout.id(), amount, currency, now), true);
            merchantTotals.paidOut += amount;
            pendingPayouts.add(payout);
        }

        void completePayout() {
            if (pendingPayouts.isEmpty()) {
                return;
            }
            Payout payout = pendingPayouts.remove(random.nextInt(pendingPayouts.size()));
            if (random.nextInt(4) == 0) {
                publish(PaymentEvents.payout(EventTypes.PAYOUT_FAILED, payout.merchant(), payout.id(), payout.amount(), payout.currency(), now),
                        true);
                totals(payout.merchant(), payout.currency()).paidOut -= payout.amount();
            } else {
                publish(PaymentEvents.payout(EventTypes.PAYOUT_PAID, payout.merchant(), payout.id(), payout.amount(), payout.currency(), now),
                        false);
            }
        }

        /** Mostly small amounts, now and then the largest one CONTRACT §1 allows. */
        long amount() {
            return switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextInt(100);
                case 1 -> 99_999_999;
                default -> 100 + random.nextInt(100_000);
            };
        }

        void publish(TestEvent event, boolean movesMoney) {
            events.add(event);
            if (movesMoney) {
                movingMoney++;
            }
        }

        Totals totals(String merchant, String currency) {
            return totals.computeIfAbsent(merchant + "/" + currency, key -> new Totals());
        }

        /**
         * The figures of CONTRACT §6 and §8 from the simulation's own records: pending is what was captured
         * and refunded and is not settled yet, available the settled net less the payouts not failed.
         */
        Map<String, Map<String, Figures>> figures() {
            Map<String, Map<String, Figures>> figures = new LinkedHashMap<>();
            for (String merchant : merchants) {
                for (String currency : CURRENCIES) {
                    Totals merchantTotals = totals.get(merchant + "/" + currency);
                    if (merchantTotals == null) {
                        continue;
                    }
                    long unsettledCaptures = payments.stream()
                            .filter(payment -> !payment.settled && payment.merchant.equals(merchant) && payment.currency.equals(currency))
                            .mapToLong(payment -> payment.captured).sum();
                    long unsettledRefunds = refunds.stream()
                            .filter(refund -> !refund.settled && refund.merchant.equals(merchant) && refund.currency.equals(currency))
                            .mapToLong(refund -> refund.amount).sum();
                    figures.computeIfAbsent(merchant, any -> new LinkedHashMap<>()).put(currency, new Figures(
                            merchantTotals.captured - merchantTotals.refunded,
                            unsettledCaptures - unsettledRefunds,
                            merchantTotals.settledNet - merchantTotals.paidOut,
                            merchantTotals.fees,
                            merchantTotals.paidOut));
                }
            }
            return figures;
        }

        <T> T pick(List<T> choices) {
            return choices.get(random.nextInt(choices.size()));
        }
    }
}
