package dev.paystream.payment.payment.domain;

/** What the processor answered to an authorization request. */
public sealed interface AuthorizationOutcome {

    record Approved(String authCode) implements AuthorizationOutcome {
    }

    record Declined(String declineCode) implements AuthorizationOutcome {
    }

    /** The processor could not process the payment at all, e.g. {@code processing_error} or {@code processor_timeout}. */
    record Failed(String failureCode) implements AuthorizationOutcome {
    }
}
