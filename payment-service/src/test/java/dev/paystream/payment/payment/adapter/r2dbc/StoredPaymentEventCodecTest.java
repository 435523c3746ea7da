package dev.paystream.payment.payment.adapter.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.domain.CaptureMethod;
import dev.paystream.payment.payment.domain.CardSummary;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentDetails;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.payment.domain.PaymentMethodType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind of payment event is stored (by the platform's JsonEventCodec, with the store's table of type
 * names) and read back as it was, under the type name the contract gives it.
 */
class StoredPaymentEventCodecTest {

    private static final PaymentId ID = new PaymentId("pay_codec");
    private static final Instant AT = Instant.parse("2026-11-30T12:00:00.123Z");
    private static final PaymentDetails DETAILS = new PaymentDetails("mer_codec", Money.of(5000, "USD"), PaymentMethodType.CARD,
            new CardSummary("visa", "4242", 12, 2030), CaptureMethod.AUTOMATIC, "cus_1", null, "Order", Map.of("k", "v"));

    private final dev.paystream.platform.store.JsonEventCodec<PaymentEvent> codec = R2dbcPaymentEventStore.STORED_EVENTS;

    @Test
    void everyKindOfEventIsStoredAndReadBackUnderItsContractType() {
        List<PaymentEvent> oneOfEach = List.of(
                new PaymentEvent.PaymentProcessingStarted(ID, DETAILS, AT),
                new PaymentEvent.PaymentAuthorized(ID, DETAILS, "ABC123", AT),
                new PaymentEvent.PaymentDeclined(ID, DETAILS, "card_declined", AT),
                new PaymentEvent.PaymentFailed(ID, DETAILS, "processing_error", AT),
                new PaymentEvent.PaymentCaptured(ID, Money.of(4000, "USD"), AT),
                new PaymentEvent.PaymentCanceled(ID, Money.of(5000, "USD"), AT),
                new PaymentEvent.PaymentRefunded(ID, "re_1", Money.of(100, "USD"), "duplicate", AT),
                new PaymentEvent.PaymentSettled(ID, "st_1", Money.of(4000, "USD"), Money.of(146, "USD"), AT));

        List<Object> kinds = oneOfEach.stream().map(event -> (Object) event.getClass()).toList();
        assertThat(kinds).containsExactlyInAnyOrder((Object[]) PaymentEvent.class.getPermittedSubclasses());
        for (PaymentEvent event : oneOfEach) {
            assertThat(codec.type(event)).isEqualTo(PaymentContractMapper.typeOf(event));
            assertThat(codec.decode(codec.type(event), codec.encode(event))).isEqualTo(event);
        }
    }
}
