package dev.paystream.customer.invoice.adapter.web;

import dev.paystream.customer.invoice.application.CreateInvoice;
import dev.paystream.customer.invoice.domain.InvoiceEdit;
import dev.paystream.customer.invoice.domain.InvoiceTerms;
import dev.paystream.customer.invoice.domain.Money;
import dev.paystream.customer.metadata.MetadataPatch;
import dev.paystream.platform.money.ActiveCurrencies;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.RequestFields;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import org.springframework.http.HttpStatus;

/**
 * Turns invoice request bodies into commands, or into a 422 problem naming the first offending field
 * (CONTRACT §1: fractional, non-positive, too large or unknown-currency amounts are refused).
 */
final class InvoiceRequests {

    static final int CUSTOMER_ID_LENGTH_MAX = 255;
    static final int DESCRIPTION_LENGTH_MAX = 1_000;
    /** Due dates are days of this century: a year far off is a typo, not a due date. */
    static final LocalDate DUE_DATE_MIN = LocalDate.of(2000, 1, 1);
    static final LocalDate DUE_DATE_MAX = LocalDate.of(2100, 12, 31);

    private InvoiceRequests() {
    }

    static CreateInvoice create(String merchantId, CreateInvoiceRequest request) {
        if (request == null) {
            throw missingBody();
        }
        if (request.customerId() == null) {
            throw invalid("customer_id", "customer_id is required: the customer the invoice is for");
        }
        RequestFields.identifier("customer_id", request.customerId(), CUSTOMER_ID_LENGTH_MAX);
        long amount = amount(request.amount());
        Currency currency = currency(request.currency());
        RequestFields.text("description", request.description(), DESCRIPTION_LENGTH_MAX);
        LocalDate dueDate = dueDate(request.dueDate());
        var metadata = RequestFields.metadata("metadata", request.metadata(), false);
        return new CreateInvoice(merchantId, request.customerId(),
                new InvoiceTerms(new Money(amount, currency), request.description(), dueDate, metadata));
    }

    static InvoiceEdit edit(UpdateInvoiceRequest request) {
        if (request == null) {
            throw missingBody();
        }
        Long amount = null;
        if (request.amountGiven()) {
            if (request.amount() == null) {
                throw invalid("amount", "amount cannot be removed; send a new amount");
            }
            amount = amount(request.amount());
        }
        RequestFields.text("description", request.description(), DESCRIPTION_LENGTH_MAX);
        LocalDate dueDate = dueDate(request.dueDate());
        MetadataPatch metadata = request.metadataGiven() ? new MetadataPatch(request.metadata() == null ? null
                : RequestFields.metadata("metadata", request.metadata(), true)) : null;
        return new InvoiceEdit(amount, request.descriptionGiven(), request.description(), request.dueDateGiven(), dueDate, metadata);
    }

    private static long amount(Long amount) {
        if (amount == null) {
            throw invalid("amount", "amount is required: a positive integer in the currency's minor unit");
        }
        if (amount <= 0) {
            throw invalid("amount", "amount must be a positive integer");
        }
        if (amount > Money.AMOUNT_MAX) {
            throw invalid("amount", "amount must be at most " + Money.AMOUNT_MAX);
        }
        return amount;
    }

    private static Currency currency(String code) {
        if (code == null || !code.matches("[A-Za-z]{3}")) {
            throw invalid("currency", "currency must be a three-letter ISO 4217 code");
        }
        return ActiveCurrencies.of(code)
                .orElseThrow(() -> invalid("currency", "currency " + code + " is not an ISO 4217 currency in circulation"));
    }

    /** A day as {@code 2026-12-31}, or null when none was given. */
    private static LocalDate dueDate(String dueDate) {
        if (dueDate == null) {
            return null;
        }
        LocalDate day;
        try {
            day = dueDate.matches("\\d{4}-\\d{2}-\\d{2}") ? LocalDate.parse(dueDate) : null;
        } catch (DateTimeParseException notADay) {
            day = null;
        }
        if (day == null) {
            throw invalid("due_date", "due_date must be a day such as 2026-12-31");
        }
        if (day.isBefore(DUE_DATE_MIN) || day.isAfter(DUE_DATE_MAX)) {
            throw invalid("due_date", "due_date must be from " + DUE_DATE_MIN + " to " + DUE_DATE_MAX);
        }
        return day;
    }

    private static RuntimeException missingBody() {
        return Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required").toException();
    }

    private static RuntimeException invalid(String field, String detail) {
        return Problem.invalidField(field, detail).toException();
    }
}
