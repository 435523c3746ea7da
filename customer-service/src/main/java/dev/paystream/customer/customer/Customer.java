package dev.paystream.customer.customer;

import dev.paystream.events.v1.CustomerV1;
import java.time.Instant;
import java.util.Map;

/**
 * A customer as stored in {@code customers}: its row is its state. Customers are not event-sourced;
 * their events ({@code customer.created}, {@code customer.updated}) announce each change of the row
 * and are written with it. {@code version} counts those changes from 1 and is each event's sequence.
 */
record Customer(
        String merchantId,
        String customerId,
        String email,
        String name,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    Customer {
        metadata = Map.copyOf(metadata);
    }

    /** The customer as the API and the events show it (CONTRACT §4). */
    CustomerV1 toContract() {
        return new CustomerV1(customerId, customerId, email, name, metadata, createdAt, updatedAt);
    }
}
