package dev.paystream.ledger.journal.application;

import static dev.paystream.ledger.journal.domain.AccountType.CUSTOMER_FUNDS;
import static dev.paystream.ledger.journal.domain.AccountType.MERCHANT_PENDING;
import static dev.paystream.ledger.journal.domain.EntrySubject.Kind.PAYMENT;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.ledger.journal.domain.EntrySubject;
import dev.paystream.ledger.journal.domain.JournalLine;
import dev.paystream.platform.consumer.IncomingEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The posting rules table: which event, in which contract version, gives which journal lines.
 *
 * <pre>
 * event type           version  debit             credit
 * payment.processing   1        (no money moves: an asynchronous payment awaits the processor)
 * payment.authorized   1        (no money moves: the processor only holds the amount)
 * payment.declined     1        (no money moves: nothing was held)
 * payment.failed       1        (no money moves: nothing was held)
 * payment.canceled     1        (no money moves: the hold is released before any capture)
 * payment.captured     1        customer_funds    merchant_pending     data.amount in data.currency
 * payment.refunded     1        merchant_pending  customer_funds       data.amount in data.currency
 * </pre>
 *
 * Settlement and payouts are added as rows of {@link #v1()}. Any other type is recorded as processed
 * and changes nothing, as CONTRACT §11 asks of consumers.
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
                PostingRule.movesMoney(EventTypes.PAYMENT_REFUNDED, 1, PAYMENT, PaymentRefundedV1.class, PostingRules::refunded)));
    }

    /** A capture moves the captured amount from the customer to the merchant, pending settlement. */
    static Posting captured(PaymentCapturedV1 captured) {
        return PostingRule.withAmount(captured.amount(), captured.currency(), money -> new Posting.Lines(List.of(
                JournalLine.debit(CUSTOMER_FUNDS, money),
                JournalLine.credit(MERCHANT_PENDING, money))));
    }

    /**
     * A refund reverses the capture's movement for the refunded amount: the money goes back from what
     * is owed to the merchant to the customer. Nothing is settled yet (there is no settlement rule), so
     * every captured amount is still in {@code merchant_pending}. Each partial refund is its own event,
     * so {@code data.amount} is this refund's amount, never the payment's running total.
     */
    static Posting refunded(PaymentRefundedV1 refunded) {
        return PostingRule.withAmount(refunded.amount(), refunded.currency(), money -> new Posting.Lines(List.of(
                JournalLine.debit(MERCHANT_PENDING, money),
                JournalLine.credit(CUSTOMER_FUNDS, money))));
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
