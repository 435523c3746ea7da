package dev.paystream.ledger.journal.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of account of the chart of accounts (CONTRACT §9). Every merchant has one account of
 * each kind per currency; an account is named by its {@link #code()} on the wire and in the database.
 *
 * <p>Money enters through {@link #CUSTOMER_FUNDS} (what customers' payment methods paid in, the only
 * debit-normal account) and is owed onwards to the merchant, the operator's fees or a payout, all
 * credit-normal. So at every moment the balance of {@code customer_funds} equals the sum of the
 * balances of the other four: each one says where the money that came in now stands.
 */
public enum AccountType {
    /** Funds collected from customers' payment methods. */
    CUSTOMER_FUNDS(NormalBalance.DEBIT),
    /** Owed to the merchant, captured but not settled yet. */
    MERCHANT_PENDING(NormalBalance.CREDIT),
    /** Owed to the merchant and settled: available for payouts. */
    MERCHANT_AVAILABLE(NormalBalance.CREDIT),
    /** Earned by the operator. */
    FEES(NormalBalance.CREDIT),
    /** Paid out of the platform. */
    PAYOUTS(NormalBalance.CREDIT);

    private final NormalBalance normalBalance;

    AccountType(NormalBalance normalBalance) {
        this.normalBalance = normalBalance;
    }

    public NormalBalance normalBalance() {
        return normalBalance;
    }

    /** The account's name on the wire and in the database, e.g. {@code merchant_pending}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AccountType> fromCode(String code) {
        return Arrays.stream(values()).filter(type -> type.code().equals(code)).findFirst();
    }
}
