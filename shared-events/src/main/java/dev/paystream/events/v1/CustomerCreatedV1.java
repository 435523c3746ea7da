package dev.paystream.events.v1;

/** {@code customer.created}: a merchant registered {@code customer}. */
public record CustomerCreatedV1(CustomerV1 customer) {
}
