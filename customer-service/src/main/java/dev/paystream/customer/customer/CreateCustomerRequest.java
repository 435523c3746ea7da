package dev.paystream.customer.customer;

import java.util.Map;

/** The body of {@code POST /v1/customers} (CONTRACT §4), exactly as sent; validated by {@link CustomerRequests}. */
public record CreateCustomerRequest(String customerId, String email, String name, Map<String, String> metadata) {
}
