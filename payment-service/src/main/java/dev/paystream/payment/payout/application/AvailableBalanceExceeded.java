package dev.paystream.payment.payout.application;

/**
 * The append of a new payout was refused by the database because, with it, the merchant's payouts would
 * exceed its settled net in that currency: another payout took the money since the balance was read.
 */
public final class AvailableBalanceExceeded extends RuntimeException {

    public AvailableBalanceExceeded(String merchantId, String currency, Throwable cause) {
        super("payouts of merchant " + merchantId + " would exceed its available " + currency + " balance", cause);
    }
}
