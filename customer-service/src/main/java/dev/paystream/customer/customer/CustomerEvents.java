package dev.paystream.customer.customer;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import dev.paystream.events.Topics;
import dev.paystream.events.v1.CustomerCreatedV1;
import dev.paystream.events.v1.CustomerUpdatedV1;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.outbox.OutboxMessage;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The events that announce a customer's changes on {@code paystream.customers.v1} (key: the customer
 * id), in their v1 contract shapes. Their sequence is the customer's {@code version}, so each
 * customer's events count from 1 without gaps; customer ids are unique per merchant only, so a
 * consumer keys them by merchant and id.
 */
final class CustomerEvents {

    static final int CONTRACT_VERSION = 1;

    private final JsonMapper jsonMapper;

    CustomerEvents(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    OutboxMessage created(Customer customer) {
        return message(customer, EventTypes.CUSTOMER_CREATED, new CustomerCreatedV1(customer.toContract()));
    }

    OutboxMessage updated(Customer customer, List<String> updatedFields) {
        return message(customer, EventTypes.CUSTOMER_UPDATED, new CustomerUpdatedV1(updatedFields, customer.toContract()));
    }

    private OutboxMessage message(Customer customer, String type, Object data) {
        EventEnvelope<Object> envelope = new EventEnvelope<>(TimeOrderedIds.newId("evt_"), type, CONTRACT_VERSION, customer.customerId(),
                customer.version(), customer.merchantId(), customer.updatedAt(), data);
        return new OutboxMessage(envelope.id(), Topics.CUSTOMERS, customer.customerId(), type, jsonMapper.writeValueAsString(envelope));
    }
}
