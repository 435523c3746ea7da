package dev.paystream.platform.caller;

import dev.paystream.platform.web.Problem;
import org.springframework.http.HttpStatus;

/**
 * Who made a {@code /v1} request, as established by the gateway: a merchant, or the operator.
 * Controllers take it as a parameter; every read and write is scoped by {@link #merchantId()}.
 */
public record Caller(String merchantId, boolean admin) {

    public static Caller merchant(String merchantId) {
        return new Caller(merchantId, false);
    }

    public static Caller operator() {
        return new Caller(null, true);
    }

    /** The merchant on whose behalf the request acts; an operator must act through a merchant's key. */
    public String requireMerchant() {
        if (merchantId == null) {
            throw Problem.of(HttpStatus.FORBIDDEN, "merchant_key_required",
                    "This endpoint acts for a merchant: call it with a merchant's API key").toException();
        }
        return merchantId;
    }

    public void requireAdmin() {
        if (!admin) {
            throw Problem.of(HttpStatus.FORBIDDEN, "admin_key_required",
                    "This endpoint is for operators: call it with the admin key").toException();
        }
    }
}
