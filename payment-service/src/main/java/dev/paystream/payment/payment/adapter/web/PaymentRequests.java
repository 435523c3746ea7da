package dev.paystream.payment.payment.adapter.web;

import dev.paystream.payment.payment.application.CreatePayment;
import dev.paystream.payment.payment.domain.CaptureMethod;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentCard;
import dev.paystream.payment.payment.domain.PaymentMethodType;
import dev.paystream.platform.money.ActiveCurrencies;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.RequestFields;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * Turns request bodies into commands, or into a 422 problem naming the first offending field
 * (CONTRACT §1: fractional, non-positive, too large or unknown-currency amounts are refused).
 */
public final class PaymentRequests {

    static final int DESCRIPTION_LENGTH_MAX = 1_000;
    static final int ID_LENGTH_MAX = 255;
    static final int HOLDER_LENGTH_MAX = 200;

    private final Clock clock;

    PaymentRequests(Clock clock) {
        this.clock = clock;
    }

    CreatePayment toCommand(String merchantId, CreatePaymentRequest request) {
        if (request == null) {
            throw Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required").toException();
        }
        Money amount = money(request.amount(), request.currency());
        if (request.paymentMethod() == null) {
            throw invalid("payment_method", "payment_method is required: card, credit_card, debit_card, paypal or bank_transfer");
        }
        PaymentMethodType method = PaymentMethodType.fromWireName(request.paymentMethod().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> invalid("payment_method", "payment_method must be card, credit_card, debit_card, paypal or bank_transfer"));
        if (!method.isCard() && request.card() != null) {
            throw invalid("card", "card is only for card payments, not " + method.wireName());
        }
        PaymentCard card = method.isCard() ? card(request.card()) : null;
        CaptureMethod captureMethod = captureMethod(request.captureMethod());
        RequestFields.identifier("customer_id", request.customerId(), ID_LENGTH_MAX);
        RequestFields.identifier("invoice_id", request.invoiceId(), ID_LENGTH_MAX);
        RequestFields.text("description", request.description(), DESCRIPTION_LENGTH_MAX);
        Map<String, String> metadata = RequestFields.metadata("metadata", request.metadata(), false);
        return new CreatePayment(merchantId, amount, method, card, captureMethod, request.customerId(), request.invoiceId(),
                request.description(), metadata);
    }

    /** An amount and currency as CONTRACT §1 accepts them, or a 422 naming the bad one; payouts read theirs the same way. */
    public static Money money(Long amount, String currencyCode) {
        if (amount == null) {
            throw invalid("amount", "amount is required: a positive integer in the currency's minor unit");
        }
        if (amount <= 0) {
            throw invalid("amount", "amount must be a positive integer");
        }
        if (amount > Money.AMOUNT_MAX) {
            throw invalid("amount", "amount must be at most " + Money.AMOUNT_MAX);
        }
        if (currencyCode == null || !currencyCode.matches("[A-Za-z]{3}")) {
            throw invalid("currency", "currency must be a three-letter ISO 4217 code");
        }
        return new Money(amount, ActiveCurrencies.of(currencyCode)
                .orElseThrow(() -> invalid("currency", "currency " + currencyCode + " is not an ISO 4217 currency in circulation")));
    }

    private PaymentCard card(CreatePaymentRequest.CardRequest card) {
        if (card == null) {
            throw invalid("card", "card is required for a card payment");
        }
        if (card.expMonth() == null) {
            throw invalid("card.exp_month", "card.exp_month is required");
        }
        if (card.expYear() == null) {
            throw invalid("card.exp_year", "card.exp_year is required");
        }
        RequestFields.text("card.holder", card.holder(), HOLDER_LENGTH_MAX);
        PaymentCard paymentCard = new PaymentCard(card.number(), card.expMonth(), card.expYear(), card.cvc(), card.holder());
        paymentCard.validate(YearMonth.now(clock)).ifPresent(problem -> {
            throw invalid(problem.field(), problem.detail());
        });
        return paymentCard;
    }

    private static CaptureMethod captureMethod(String captureMethod) {
        if (captureMethod == null || captureMethod.equalsIgnoreCase("automatic")) {
            return CaptureMethod.AUTOMATIC;
        }
        if (captureMethod.equalsIgnoreCase("manual")) {
            return CaptureMethod.MANUAL;
        }
        throw invalid("capture_method", "capture_method must be automatic or manual");
    }

    static final java.util.Set<String> REFUND_REASONS = java.util.Set.of("duplicate", "fraudulent", "requested_by_customer");

    static Long captureAmount(CaptureRequest request) {
        return request == null ? null : optionalAmount(request.amount());
    }

    static Long refundAmount(RefundRequest request) {
        return request == null ? null : optionalAmount(request.amount());
    }

    static String refundReason(RefundRequest request) {
        if (request == null || request.reason() == null) {
            return null;
        }
        if (!REFUND_REASONS.contains(request.reason())) {
            throw invalid("reason", "reason must be duplicate, fraudulent or requested_by_customer");
        }
        return request.reason();
    }

    private static Long optionalAmount(Long amount) {
        if (amount == null) {
            return null;
        }
        if (amount <= 0) {
            throw invalid("amount", "amount must be a positive integer");
        }
        if (amount > Money.AMOUNT_MAX) {
            throw invalid("amount", "amount must be at most " + Money.AMOUNT_MAX);
        }
        return amount;
    }

    private static RuntimeException invalid(String field, String detail) {
        return Problem.invalidField(field, detail).toException();
    }
}
