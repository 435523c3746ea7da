package dev.paystream.customer.invoice.domain;

import static dev.paystream.customer.invoice.domain.Invoices.ID;
import static dev.paystream.customer.invoice.domain.Invoices.LATER;
import static dev.paystream.customer.invoice.domain.Invoices.NOW;
import static dev.paystream.customer.invoice.domain.Invoices.accepted;
import static dev.paystream.customer.invoice.domain.Invoices.after;
import static dev.paystream.customer.invoice.domain.Invoices.anOpenInvoice;
import static dev.paystream.customer.invoice.domain.Invoices.paidBy;
import static dev.paystream.customer.invoice.domain.Invoices.terms;
import static dev.paystream.customer.invoice.domain.Invoices.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceCreated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaid;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentApplied;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentReversed;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceReopened;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceUpdated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceVoided;
import dev.paystream.customer.metadata.MetadataPatch;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given events, when a command, then events or a named rejection. */
class InvoiceTest {

    private static void assertRejected(Decision decision, Rejection rejection) {
        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class,
                rejected -> assertThat(rejected.rejection()).isEqualTo(rejection));
    }

    @Nested
    class Creating {

        @Test
        void aNewInvoiceIsOpenWithNothingPaidAndAllDue() {
            List<InvoiceEvent> events = Invoice.create(ID, "mer_fixture", "unixuser1", terms(10000), NOW);

            assertThat(events).containsExactly(new InvoiceCreated(ID, "mer_fixture", "unixuser1", terms(10000), NOW));
            Invoice invoice = Invoice.replay(events);
            assertThat(invoice.status()).isEqualTo(InvoiceStatus.OPEN);
            assertThat(invoice.amountPaid()).isEqualTo(usd(0));
            assertThat(invoice.amountDue()).isEqualTo(usd(10000));
            assertThat(invoice.version()).isEqualTo(1);
            assertThat(invoice.createdAt()).isEqualTo(NOW).isEqualTo(invoice.updatedAt());
        }
    }

    @Nested
    class Editing {

        @Test
        void anEditOfAnOpenUnpaidInvoiceNamesTheFieldsItChanged() {
            Invoice open = anOpenInvoice(10000);
            Map<String, String> metadata = new HashMap<>();
            metadata.put("order_id", null);
            metadata.put("batch", "7");

            Decision decision = open.edit(new InvoiceEdit(12000L, false, null, true, null, new MetadataPatch(metadata)), LATER);

            InvoiceTerms edited = new InvoiceTerms(usd(12000), "Order #123", null, Map.of("batch", "7"));
            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new InvoiceUpdated(ID, edited,
                    List.of(InvoiceField.AMOUNT, InvoiceField.DUE_DATE, InvoiceField.METADATA), LATER))));
            Invoice updated = after(open, decision);
            assertThat(updated.terms()).isEqualTo(edited);
            assertThat(updated.amountDue()).isEqualTo(usd(12000));
            assertThat(updated.updatedAt()).isEqualTo(LATER);
            assertThat(updated.version()).isEqualTo(2);
        }

        @Test
        void anEditThatChangesNothingHasNoEvent() {
            Invoice open = anOpenInvoice(10000);

            Decision decision = open.edit(new InvoiceEdit(10000L, true, "Order #123", true, LocalDate.of(2026, 12, 31),
                    new MetadataPatch(Map.of("order_id", "123"))), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of()));
        }

        @Test
        void metadataSetToNullRemovesEveryKey() {
            Invoice open = anOpenInvoice(10000);

            Invoice updated = after(open, open.edit(new InvoiceEdit(null, false, null, false, null, new MetadataPatch(null)), LATER));

            assertThat(updated.terms().metadata()).isEmpty();
            assertThat(updated.terms().description()).isEqualTo("Order #123");
        }

        @Test
        void rejectsEditingAPartlyPaidInvoice() {
            assertRejected(paidBy(10000, "pay_1", 4000).edit(Invoices.amountTo(5000), LATER), Rejection.INVOICE_NOT_EDITABLE);
        }

        @Test
        void rejectsEditingAPaidInvoice() {
            assertRejected(paidBy(10000, "pay_1", 10000).edit(Invoices.amountTo(5000), LATER), Rejection.INVOICE_NOT_EDITABLE);
        }

        @Test
        void rejectsEditingAVoidInvoice() {
            Invoice open = anOpenInvoice(10000);
            Invoice voided = after(open, open.voidInvoice(LATER));

            assertRejected(voided.edit(Invoices.amountTo(5000), LATER), Rejection.INVOICE_NOT_EDITABLE);
        }

        @Test
        void anInvoiceWhosePaymentsWereAllRefundedCanBeEditedAgain() {
            Invoice paid = paidBy(10000, "pay_1", 4000);
            Invoice refunded = after(paid, paid.reversePayment("pay_1", "re_1", usd(4000), LATER));

            assertThat(accepted(refunded.edit(Invoices.amountTo(5000), LATER))).hasSize(1);
        }

        @Test
        void rejectsMetadataThatWouldHoldMoreThanFiftyKeys() {
            Map<String, String> fifty = new HashMap<>();
            for (int key = 0; key < 50; key++) {
                fifty.put("key" + key, "value");
            }

            Decision decision = anOpenInvoice(10000).edit(new InvoiceEdit(null, false, null, false, null, new MetadataPatch(fifty)), LATER);

            assertRejected(decision, Rejection.METADATA_KEYS_EXCEEDED);
        }

        @Test
        void rejectsTheEditAfterTheMostAnInvoiceMayHave() {
            Invoice invoice = anOpenInvoice(10000);
            for (int edit = 1; edit <= Invoice.EDITS_MAX; edit++) {
                invoice = after(invoice, invoice.edit(Invoices.amountTo(10000 + edit), LATER));
            }

            assertRejected(invoice.edit(Invoices.amountTo(1), LATER), Rejection.INVOICE_EDIT_LIMIT_REACHED);
            assertThat(invoice.version()).isEqualTo(1 + Invoice.EDITS_MAX);
        }
    }

    @Nested
    class Voiding {

        @Test
        void anOpenUnpaidInvoiceIsVoidedForGood() {
            Invoice open = anOpenInvoice(10000);

            Decision decision = open.voidInvoice(LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new InvoiceVoided(ID, LATER))));
            Invoice voided = after(open, decision);
            assertThat(voided.status()).isEqualTo(InvoiceStatus.VOID);
            assertRejected(voided.voidInvoice(LATER), Rejection.INVOICE_NOT_VOIDABLE);
        }

        @Test
        void rejectsVoidingAPartlyPaidInvoice() {
            assertRejected(paidBy(10000, "pay_1", 1).voidInvoice(LATER), Rejection.INVOICE_NOT_VOIDABLE);
        }

        @Test
        void rejectsVoidingAPaidInvoice() {
            assertRejected(paidBy(10000, "pay_1", 10000).voidInvoice(LATER), Rejection.INVOICE_NOT_VOIDABLE);
        }
    }

    @Nested
    class ApplyingPayments {

        @Test
        void aPartialCapturePaysPartOfTheInvoiceWhichStaysOpen() {
            Invoice open = anOpenInvoice(10000);

            Decision decision = open.applyPayment("pay_1", usd(4000), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new InvoicePaymentApplied(ID, "pay_1", usd(4000), LATER))));
            Invoice partlyPaid = after(open, decision);
            assertThat(partlyPaid.status()).isEqualTo(InvoiceStatus.OPEN);
            assertThat(partlyPaid.amountPaid()).isEqualTo(usd(4000));
            assertThat(partlyPaid.amountDue()).isEqualTo(usd(6000));
            assertThat(partlyPaid.payments().get("pay_1").amountStillApplied()).isEqualTo(usd(4000));
        }

        @Test
        void theCaptureThatCompletesTheAmountAlsoMakesTheInvoicePaid() {
            Invoice partlyPaid = paidBy(10000, "pay_1", 4000);

            Decision decision = partlyPaid.applyPayment("pay_2", usd(6000), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(
                    new InvoicePaymentApplied(ID, "pay_2", usd(6000), LATER), new InvoicePaid(ID, "pay_2", LATER))));
            Invoice paid = after(partlyPaid, decision);
            assertThat(paid.status()).isEqualTo(InvoiceStatus.PAID);
            assertThat(paid.amountPaid()).isEqualTo(usd(10000));
            assertThat(paid.amountDue()).isEqualTo(usd(0));
            assertThat(paid.payments()).containsOnlyKeys("pay_1", "pay_2");
        }

        @Test
        void rejectsAPaymentAppliedBefore() {
            assertRejected(paidBy(10000, "pay_1", 4000).applyPayment("pay_1", usd(1000), LATER), Rejection.PAYMENT_ALREADY_APPLIED);
        }

        @Test
        void rejectsPayingAPaidInvoice() {
            assertRejected(paidBy(10000, "pay_1", 10000).applyPayment("pay_2", usd(1), LATER), Rejection.INVOICE_NOT_OPEN);
        }

        @Test
        void rejectsPayingAVoidInvoice() {
            Invoice open = anOpenInvoice(10000);
            Invoice voided = after(open, open.voidInvoice(LATER));

            assertRejected(voided.applyPayment("pay_1", usd(1000), LATER), Rejection.INVOICE_NOT_OPEN);
        }

        @Test
        void rejectsACaptureInAnotherCurrency() {
            assertRejected(anOpenInvoice(10000).applyPayment("pay_1", Money.of(1000, "EUR"), LATER), Rejection.CURRENCY_MISMATCH);
        }

        @Test
        void rejectsACaptureOfMoreThanIsDue() {
            assertRejected(paidBy(10000, "pay_1", 4000).applyPayment("pay_2", usd(6001), LATER), Rejection.AMOUNT_EXCEEDS_DUE);
        }

        @Test
        void rejectsThePaymentAfterTheMostOneInvoiceMayHave() {
            Invoice invoice = anOpenInvoice(Invoice.PAYMENTS_MAX + 1);
            for (int payment = 0; payment < Invoice.PAYMENTS_MAX; payment++) {
                invoice = after(invoice, invoice.applyPayment("pay_" + payment, usd(1), LATER));
            }

            assertRejected(invoice.applyPayment("pay_last", usd(1), LATER), Rejection.INVOICE_PAYMENT_LIMIT_REACHED);
        }
    }

    @Nested
    class ReversingPayments {

        @Test
        void aRefundTakesBackPartOfWhatItsPaymentPaid() {
            Invoice partlyPaid = paidBy(10000, "pay_1", 4000);

            Decision decision = partlyPaid.reversePayment("pay_1", "re_1", usd(1000), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(
                    new InvoicePaymentReversed(ID, "pay_1", "re_1", usd(1000), LATER))));
            Invoice reversed = after(partlyPaid, decision);
            assertThat(reversed.status()).isEqualTo(InvoiceStatus.OPEN);
            assertThat(reversed.amountPaid()).isEqualTo(usd(3000));
            AppliedPayment payment = reversed.payments().get("pay_1");
            assertThat(payment.amountApplied()).isEqualTo(usd(4000));
            assertThat(payment.amountReversed()).isEqualTo(usd(1000));
            assertThat(payment.reversedAt()).isEqualTo(LATER);
        }

        @Test
        void aRefundOfAPaidInvoiceReopensIt() {
            Invoice paid = paidBy(10000, "pay_1", 10000);

            Decision decision = paid.reversePayment("pay_1", "re_1", usd(1000), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(
                    new InvoicePaymentReversed(ID, "pay_1", "re_1", usd(1000), LATER), new InvoiceReopened(ID, "pay_1", "re_1", LATER))));
            Invoice reopened = after(paid, decision);
            assertThat(reopened.status()).isEqualTo(InvoiceStatus.OPEN);
            assertThat(reopened.amountDue()).isEqualTo(usd(1000));
            assertThat(after(reopened, reopened.applyPayment("pay_2", usd(1000), LATER)).status()).isEqualTo(InvoiceStatus.PAID);
        }

        @Test
        void severalRefundsOfOnePaymentTakeBackAtMostWhatItPaid() {
            Invoice partlyPaid = paidBy(10000, "pay_1", 4000);
            Invoice once = after(partlyPaid, partlyPaid.reversePayment("pay_1", "re_1", usd(3000), LATER));

            assertRejected(once.reversePayment("pay_1", "re_2", usd(1001), LATER), Rejection.AMOUNT_EXCEEDS_APPLIED);
            Invoice twice = after(once, once.reversePayment("pay_1", "re_2", usd(1000), LATER));
            assertThat(twice.amountPaid()).isEqualTo(usd(0));
            assertThat(accepted(twice.voidInvoice(LATER))).hasSize(1);
        }

        @Test
        void rejectsARefundOfAPaymentThatPaidNothingOnTheInvoice() {
            assertRejected(paidBy(10000, "pay_1", 4000).reversePayment("pay_other", "re_1", usd(1), LATER), Rejection.PAYMENT_NOT_APPLIED);
        }

        @Test
        void rejectsTheSameRefundTwice() {
            Invoice partlyPaid = paidBy(10000, "pay_1", 4000);
            Invoice reversed = after(partlyPaid, partlyPaid.reversePayment("pay_1", "re_1", usd(1000), LATER));

            assertRejected(reversed.reversePayment("pay_1", "re_1", usd(1000), LATER), Rejection.REFUND_ALREADY_REVERSED);
        }

        @Test
        void rejectsARefundInAnotherCurrency() {
            assertRejected(paidBy(10000, "pay_1", 4000).reversePayment("pay_1", "re_1", Money.of(1000, "EUR"), LATER),
                    Rejection.CURRENCY_MISMATCH);
        }
    }
}
