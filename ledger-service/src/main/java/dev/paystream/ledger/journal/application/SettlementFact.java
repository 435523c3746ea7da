package dev.paystream.ledger.journal.application;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentSettledV1;
import dev.paystream.events.v1.SettlementCompletedV1;
import dev.paystream.platform.consumer.IncomingEvent;
import java.util.Locale;
import java.util.Optional;

/**
 * A fact of settlement the drift checks compare with the journal (ADR 0006, "Drift"), recorded in the
 * statement that claims its event. {@code payment.settled} moves no money by itself but says which
 * payments a batch settled, for how much and with which fee; {@code settlement.completed} carries the
 * batch's totals, of which the journal entry keeps only the sums it posts.
 */
public sealed interface SettlementFact {

    String eventId();

    /** One payment's captured {@code amount} settled in batch {@code settlementId} with {@code feeAmount}. */
    record SettledPayment(String eventId, String settlementId, String paymentId, String merchantId, String currency,
                          long amount, long feeAmount) implements SettlementFact {
    }

    /** The totals of batch {@code settlementId}, as payment-service computed them. */
    record SettledBatch(String eventId, String settlementId, String merchantId, String currency, long paymentCount,
                        long refundCount, long grossAmount, long refundedAmount, long feeAmount, long netAmount)
            implements SettlementFact {
    }

    /**
     * The fact {@code event} states, if it is one of settlement (v1) with the fields a check needs. An event
     * without them states nothing the checks can use: what it should have said then shows as drift (a batch
     * whose payments do not add up), rather than the event being refused — the money it moves, if any, is
     * the posting rules' business.
     */
    static Optional<SettlementFact> of(IncomingEvent event) {
        if (event.version() != 1 || isBlank(event.aggregateId()) || isBlank(event.merchantId())) {
            return Optional.empty();
        }
        if (EventTypes.PAYMENT_SETTLED.equals(event.type())) {
            return event.data().as(PaymentSettledV1.class)
                    .filter(settled -> storable(settled.settlementId()) && isCurrencyCode(settled.currency()))
                    .map(settled -> new SettledPayment(event.id(), settled.settlementId(), event.aggregateId(), event.merchantId(),
                            settled.currency().toUpperCase(Locale.ROOT), settled.amount(), settled.feeAmount()));
        }
        if (EventTypes.SETTLEMENT_COMPLETED.equals(event.type())) {
            return event.data().as(SettlementCompletedV1.class)
                    .filter(batch -> isCurrencyCode(batch.currency()))
                    .map(batch -> new SettledBatch(event.id(), event.aggregateId(), event.merchantId(),
                            batch.currency().toUpperCase(Locale.ROOT), batch.paymentCount(), batch.refundCount(), batch.grossAmount(),
                            batch.refundedAmount(), batch.feeAmount(), batch.netAmount()));
        }
        return Optional.empty();
    }

    /** A value PostgreSQL can store and an operator can read, as EnvelopeReader guarantees of the envelope's ids. */
    private static boolean storable(String value) {
        return !isBlank(value) && value.length() <= 255 && value.chars().noneMatch(Character::isISOControl);
    }

    private static boolean isCurrencyCode(String value) {
        return value != null && value.length() == 3 && value.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
