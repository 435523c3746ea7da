package dev.paystream.ledger.journal.application;

import static dev.paystream.ledger.journal.domain.AccountType.CUSTOMER_FUNDS;
import static dev.paystream.ledger.journal.domain.AccountType.FEES;
import static dev.paystream.ledger.journal.domain.AccountType.MERCHANT_AVAILABLE;
import static dev.paystream.ledger.journal.domain.AccountType.MERCHANT_PENDING;
import static dev.paystream.ledger.journal.domain.AccountType.PAYOUTS;
import static dev.paystream.ledger.journal.domain.EntrySubject.Kind.PAYMENT;
import static dev.paystream.ledger.journal.domain.EntrySubject.Kind.PAYOUT;
import static dev.paystream.ledger.journal.domain.EntrySubject.Kind.SETTLEMENT;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.events.v1.PayoutCreatedV1;
import dev.paystream.events.v1.PayoutFailedV1;
import dev.paystream.events.v1.SettlementCompletedV1;
import dev.paystream.ledger.journal.domain.AccountType;
import dev.paystream.ledger.journal.domain.EntrySubject;
import dev.paystream.ledger.journal.domain.JournalLine;
import dev.paystream.platform.consumer.IncomingEvent;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The posting rules table: which event, in which contract version, gives which journal lines. The
 * reasons are in docs/adr/0006-chart-of-accounts-and-posting-rules.md.
 *
 * <pre>
 * event type            version  entry about  debit               credit               amount
 * payment.processing    1        (no money moves: an asynchronous payment awaits the processor)
 * payment.authorized    1        (no money moves: the processor only holds the amount)
 * payment.declined      1        (no money moves: nothing was held)
 * payment.failed        1        (no money moves: nothing was held)
 * payment.canceled      1        (no money moves: the hold is released before any capture)
 * payment.captured      1        payment      customer_funds      merchant_pending     data.amount
 * payment.refunded      1        payment      merchant_pending    customer_funds       data.amount (settled or not)
 * payment.settled       1        (no money moves: the batch's settlement.completed moves it)
 * settlement.completed  1        settlement   merchant_pending    merchant_available   gross - refunded | net
 *                                                                 fees                 fee_amount
 *                                             (a negative amount is posted on the other side)
 * payout.created        1        payout       merchant_available  payouts              data.amount
 * payout.paid           1        (no money moves: the amount left merchant_available at payout.created)
 * payout.failed         1        payout       payouts             merchant_available   data.amount
 * </pre>
 *
 * Amounts are in {@code data.currency}. Any other type is recorded as processed and changes nothing, as
 * CONTRACT §11 asks of consumers.
 */
public final class PostingRules {

    private final Map<String, Map<Integer, PostingRule>> rulesByType = new LinkedHashMap<>();

    public PostingRules(List<PostingRule> rules) {
        for (PostingRule rule : rules) {
            PostingRule previous = rulesByType.computeIfAbsent(rule.eventType(), type -> new LinkedHashMap<>())
                    .put(rule.version(), rule);
            if (previous != null) {
                throw new IllegalArgumentException("two posting rules for " + rule.eventType() + " v" + rule.version());
            }
        }
    }

    /** The rules of the v1 contract. */
    public static PostingRules v1() {
        return new PostingRules(List.of(
                PostingRule.movesNoMoney(EventTypes.PAYMENT_PROCESSING, 1,
                        "an asynchronous payment awaiting the processor holds and moves nothing yet"),
                PostingRule.movesNoMoney(EventTypes.PAYMENT_AUTHORIZED, 1,
                        "an authorization only holds the amount on the payment method"),
                PostingRule.movesNoMoney(EventTypes.PAYMENT_DECLINED, 1,
                        "a declined payment was never authorized, so nothing was held or moved"),
                PostingRule.movesNoMoney(EventTypes.PAYMENT_FAILED, 1,
                        "a failed payment could not be processed, so nothing was held or moved"),
                PostingRule.movesNoMoney(EventTypes.PAYMENT_CANCELED, 1,
                        "a cancellation only releases the hold of an authorization that was never captured"),
                PostingRule.movesMoney(EventTypes.PAYMENT_CAPTURED, 1, PAYMENT, PaymentCapturedV1.class, PostingRules::captured),
                PostingRule.movesMoney(EventTypes.PAYMENT_REFUNDED, 1, PAYMENT, PaymentRefundedV1.class, PostingRules::refunded),
                PostingRule.movesNoMoney(EventTypes.PAYMENT_SETTLED, 1,
                        "a payment's money moves with its batch, posted from settlement.completed"),
                PostingRule.movesMoney(EventTypes.SETTLEMENT_COMPLETED, 1, SETTLEMENT, SettlementCompletedV1.class,
                        PostingRules::settlementCompleted),
                PostingRule.movesMoney(EventTypes.PAYOUT_CREATED, 1, PAYOUT, PayoutCreatedV1.class, PostingRules::payoutCreated),
                PostingRule.movesNoMoney(EventTypes.PAYOUT_PAID, 1,
                        "a payout's amount left merchant_available when it was created; being paid moves nothing more"),
                PostingRule.movesMoney(EventTypes.PAYOUT_FAILED, 1, PAYOUT, PayoutFailedV1.class, PostingRules::payoutFailed)));
    }

    /** A capture moves the captured amount from the customer to the merchant, pending settlement. */
    static Posting captured(PaymentCapturedV1 captured) {
        return PostingRule.withAmount(captured.amount(), captured.currency(), money -> new Posting.Lines(List.of(
                JournalLine.debit(CUSTOMER_FUNDS, money),
                JournalLine.credit(MERCHANT_PENDING, money))));
    }

    /**
     * A refund reverses the capture's movement for the refunded amount: the money goes back from what
     * is owed to the merchant to the customer. It comes out of {@code merchant_pending} whether or not the
     * payment was settled: a refund is settled itself, by the next batch, which subtracts it as
     * {@code refunded_amount} and so moves it out of {@code merchant_pending} again (CONTRACT §8). Taking a
     * settled payment's refund from {@code merchant_available} instead would count it twice, once now and
     * once in the batch. Each partial refund is its own event, so {@code data.amount} is this refund's
     * amount, never the payment's running total.
     */
    static Posting refunded(PaymentRefundedV1 refunded) {
        return PostingRule.withAmount(refunded.amount(), refunded.currency(), money -> new Posting.Lines(List.of(
                JournalLine.debit(MERCHANT_PENDING, money),
                JournalLine.credit(CUSTOMER_FUNDS, money))));
    }

    /**
     * A batch moves what it settled, its payments' captures minus its refunds, out of
     * {@code merchant_pending}: the net becomes available to the merchant and the fees are the operator's.
     * {@code gross - refunded = net + fees}, so the entry balances. Refunds may exceed the captures of a
     * batch and fees its net: an amount below zero is posted on the other side of its account (a negative
     * net is debited to {@code merchant_available}).
     */
    static Posting settlementCompleted(SettlementCompletedV1 batch) {
        if (batch.grossAmount() < 0 || batch.refundedAmount() < 0 || batch.feeAmount() < 0) {
            return new Posting.Rejected("gross_amount, refunded_amount and fee_amount must not be negative");
        }
        long settled;
        long availableDebit;
        try {
            settled = Math.subtractExact(batch.grossAmount(), batch.refundedAmount());
            if (batch.netAmount() != Math.subtractExact(settled, batch.feeAmount())) {
                return new Posting.Rejected("net_amount must equal gross_amount - refunded_amount - fee_amount");
            }
            availableDebit = Math.negateExact(batch.netAmount());
        } catch (ArithmeticException overflow) {
            return new Posting.Rejected("the batch's amounts overflow");
        }
        if (settled == 0 && batch.netAmount() == 0 && batch.feeAmount() == 0) {
            return new Posting.NoMoneyMoved("the batch settled no money");
        }
        return PostingRule.withCurrency(batch.currency(), currency -> {
            List<JournalLine> debits = new ArrayList<>(3);
            List<JournalLine> credits = new ArrayList<>(3);
            signed(MERCHANT_PENDING, currency, settled, debits, credits);
            signed(MERCHANT_AVAILABLE, currency, availableDebit, debits, credits);
            signed(FEES, currency, -batch.feeAmount(), debits, credits);
            debits.addAll(credits);
            return new Posting.Lines(debits);
        });
    }

    /** A payout takes its amount from what is available to the merchant, at once: it is on its way out. */
    static Posting payoutCreated(PayoutCreatedV1 created) {
        return PostingRule.withAmount(created.amount(), created.currency(), money -> new Posting.Lines(List.of(
                JournalLine.debit(MERCHANT_AVAILABLE, money),
                JournalLine.credit(PAYOUTS, money))));
    }

    /** A failed payout gives its amount back: the reverse of its creation's entry. */
    static Posting payoutFailed(PayoutFailedV1 failed) {
        return PostingRule.withAmount(failed.amount(), failed.currency(), money -> new Posting.Lines(List.of(
                JournalLine.debit(PAYOUTS, money),
                JournalLine.credit(MERCHANT_AVAILABLE, money))));
    }

    /** A debit of {@code amount} to {@code account}, or a credit of its opposite when it is below zero; nothing for zero. */
    private static void signed(AccountType account, Currency currency, long amount, List<JournalLine> debits, List<JournalLine> credits) {
        if (amount > 0) {
            debits.add(new JournalLine(account, currency, amount, 0));
        } else if (amount < 0) {
            credits.add(new JournalLine(account, currency, 0, -amount));
        }
    }

    /**
     * What the entry of {@code event} is about (the payment, payout or settlement that is its aggregate);
     * only for an event whose {@link #post} gave {@link Posting.Lines}.
     */
    public EntrySubject subjectOf(IncomingEvent event) {
        PostingRule rule = rulesByType.getOrDefault(event.type(), Map.of()).get(event.version());
        if (rule == null) {
            throw new IllegalArgumentException("no posting rule for " + event.type() + " v" + event.version());
        }
        return rule.subjectOf(event);
    }

    public Posting post(IncomingEvent event) {
        Map<Integer, PostingRule> versions = rulesByType.get(event.type());
        if (versions == null) {
            return new Posting.NoMoneyMoved("no posting rule for type " + event.type());
        }
        PostingRule rule = versions.get(event.version());
        if (rule != null) {
            return rule.post(event);
        }
        if (event.version() < 1) {
            return new Posting.Rejected("version must be a positive integer");
        }
        // A breaking change is published as a new version beside the one this ledger reads, so an
        // unknown version of a known type is a copy of an event the ledger posts from its old version.
        return new Posting.NoMoneyMoved("no posting rule for version " + event.version() + " of " + event.type());
    }

    /** Whether the table has a rule for {@code eventType}; metrics name only such types. */
    public boolean knows(String eventType) {
        return rulesByType.containsKey(eventType);
    }
}
