package dev.paystream.customer.invoice.adapter.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.customer.invoice.adapter.contract.InvoiceContractMapper;
import dev.paystream.customer.invoice.domain.InvoiceEvent;
import dev.paystream.customer.invoice.domain.InvoiceField;
import dev.paystream.customer.invoice.domain.InvoiceId;
import dev.paystream.customer.invoice.domain.InvoiceTerms;
import dev.paystream.customer.invoice.domain.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind of invoice event is stored (by the platform's JsonEventCodec, with the store's table of type
 * names) and read back as it was, under the type name the contract gives it.
 */
class StoredInvoiceEventCodecTest {

    private static final InvoiceId ID = new InvoiceId("inv_codec");
    private static final Instant AT = Instant.parse("2026-11-30T12:00:00.123Z");
    private static final InvoiceTerms TERMS = new InvoiceTerms(Money.of(10000, "JPY"), "Order", LocalDate.of(2026, 12, 31), Map.of("k", "v"));

    private final dev.paystream.platform.store.JsonEventCodec<InvoiceEvent> codec = R2dbcInvoiceEventStore.STORED_EVENTS;

    @Test
    void everyKindOfEventIsStoredAndReadBackUnderItsContractType() {
        List<InvoiceEvent> oneOfEach = List.of(
                new InvoiceEvent.InvoiceCreated(ID, "mer_codec", "unixuser1", TERMS, AT),
                new InvoiceEvent.InvoiceUpdated(ID, new InvoiceTerms(Money.of(9000, "JPY"), null, null, Map.of()),
                        List.of(InvoiceField.AMOUNT, InvoiceField.DUE_DATE), AT),
                new InvoiceEvent.InvoicePaymentApplied(ID, "pay_1", Money.of(9000, "JPY"), AT),
                new InvoiceEvent.InvoicePaymentReversed(ID, "pay_1", "re_1", Money.of(100, "JPY"), AT),
                new InvoiceEvent.InvoicePaid(ID, "pay_1", AT),
                new InvoiceEvent.InvoiceReopened(ID, "pay_1", "re_1", AT),
                new InvoiceEvent.InvoiceVoided(ID, AT));

        List<Object> kinds = oneOfEach.stream().map(event -> (Object) event.getClass()).toList();
        assertThat(kinds).containsExactlyInAnyOrder((Object[]) InvoiceEvent.class.getPermittedSubclasses());
        for (InvoiceEvent event : oneOfEach) {
            assertThat(codec.type(event)).isEqualTo(InvoiceContractMapper.typeOf(event));
            assertThat(codec.decode(codec.type(event), codec.encode(event))).isEqualTo(event);
        }
    }
}
