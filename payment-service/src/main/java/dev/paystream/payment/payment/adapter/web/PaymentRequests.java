package dev.paystream.payment.payment.adapter.web;

import dev.paystream.payment.payment.application.CreatePayment;
import dev.paystream.payment.payment.domain.CaptureMethod;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentCard;
import dev.paystream.payment.payment.domain.PaymentMethodType;
import dev.paystream.platform.web.Problem;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * Turns request bodies into commands, or into a 422 problem naming the first offending field
 * (CONTRACT §1: fractional, non-positive, too large or unknown-currency amounts are refused).
 */
final class PaymentRequests {

    static final int DESCRIPTION_LENGTH_MAX = 1_000;
    static final int METADATA_KEYS_MAX = 50;
    static final int METADATA_VALUE_LENGTH_MAX = 500;
    static final int ID_LENGTH_MAX = 255;

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
        checkLength("customer_id", request.customerId(), ID_LENGTH_MAX);
        checkLength("invoice_id", request.invoiceId(), ID_LENGTH_MAX);
        checkLength("description", request.description(), DESCRIPTION_LENGTH_MAX);
        Map<String, String> metadata = metadata(request.metadata());
        return new CreatePayment(merchantId, amount, method, card, captureMethod, request.customerId(), request.invoiceId(),
                request.description(), metadata);
    }

    static Money money(Long amount, String currencyCode) {
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
        try {
            return new Money(amount, Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            throw invalid("currency", "currency " + currencyCode + " is not an ISO 4217 currency");
        }
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

    private static Map<String, String> metadata(Map<String, String> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > METADATA_KEYS_MAX) {
            throw invalid("metadata", "metadata may hold at most " + METADATA_KEYS_MAX + " keys");
        }
        metadata.forEach((key, value) -> {
            if (value == null || value.length() > METADATA_VALUE_LENGTH_MAX || key.length() > 40) {
                throw invalid("metadata", "metadata keys are at most 40 characters and values non-null strings of at most "
                        + METADATA_VALUE_LENGTH_MAX);
            }
        });
        return metadata;
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

    private static void checkLength(String field, String value, int lengthMax) {
        if (value != null && value.length() > lengthMax) {
            throw invalid(field, field + " must be at most " + lengthMax + " characters");
        }
    }

    private static RuntimeException invalid(String field, String detail) {
        return Problem.invalidField(field, detail).toException();
    }
}
