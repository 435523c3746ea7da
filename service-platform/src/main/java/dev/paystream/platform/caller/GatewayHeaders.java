package dev.paystream.platform.caller;

/**
 * Headers by which the gateway tells a service who is calling. The gateway strips any of them that a
 * client sent; a service believes them only beside the shared gateway token.
 */
public final class GatewayHeaders {

    /** The secret shared by the gateway and the services ({@code paystream.gateway.token}). */
    public static final String GATEWAY_TOKEN = "X-Paystream-Gateway-Token";
    /** The authenticated merchant's id; absent on an operator's (admin) call. */
    public static final String MERCHANT_ID = "X-Paystream-Merchant-Id";
    /** {@code true} when the caller authenticated with the operator's admin key. */
    public static final String ADMIN = "X-Paystream-Admin";

    private GatewayHeaders() {
    }
}
