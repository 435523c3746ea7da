package dev.paystream.ledger.journal.application;

import static dev.paystream.ledger.journal.domain.AccountType.CUSTOMER_FUNDS;
import static dev.paystream.ledger.journal.domain.AccountType.MERCHANT_PENDING;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.ledger.journal.domain.JournalLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The posting rules table: which event, in which contract version, gives which journal lines.
 *
 * <pre>
 * event type           version  debit             credit
 * payment.authorized   1        (no money moves: the processor only holds the amount)
 * payment.captured     1        customer_funds    merchant_pending     data.amount in data.currency
 * </pre>
 *
 * Refunds, settlement and payouts are added as rows of {@link #v1()}, e.g. {@code payment.refunded}:
 * debit {@code merchant_pending}, credit {@code customer_funds}. Any other type is recorded as
 * processed and changes nothing, as CONTRACT §11 asks of consumers.
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
                PostingRule.movesNoMoney(EventTypes.PAYMENT_AUTHORIZED, 1,
                        "an authorization only holds the amount on the payment method"),
                PostingRule.movesMoney(EventTypes.PAYMENT_CAPTURED, 1, PaymentCapturedV1.class, PostingRules::captured)));
    }

    /** A capture moves the captured amount from the customer to the merchant, pending settlement. */
    static Posting captured(PaymentCapturedV1 captured) {
        return PostingRule.withAmount(captured.amount(), captured.currency(), money -> new Posting.Lines(List.of(
                JournalLine.debit(CUSTOMER_FUNDS, money),
                JournalLine.credit(MERCHANT_PENDING, money))));
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
