package dev.paystream.payment.payment.domain;

/** What the processor answered to an authorization request. */
public sealed interface AuthorizationOutcome {

    record Approved(String authCode) implements AuthorizationOutcome {
    }

    record Declined(String declineCode) implements AuthorizationOutcome {
    }
}
