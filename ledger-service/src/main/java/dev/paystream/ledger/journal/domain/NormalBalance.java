package dev.paystream.ledger.journal.domain;

/**
 * The side on which an account's balance grows. An account's balance is reported as a positive
 * number when it sits on its normal side: debits minus credits for a debit-normal account, credits
 * minus debits for a credit-normal one.
 */
public enum NormalBalance {
    DEBIT,
    CREDIT
}
