package dev.paystream.ledger.journal.application;

import java.util.Optional;

/**
 * The type-specific {@code data} of an incoming event, read on demand as one of the contract records
 * of shared-events. The Kafka adapter implements it; the posting rules never see JSON.
 */
public interface EventData {

    /** The data as {@code contract}, or empty when it does not have that record's shape. */
    <T> Optional<T> as(Class<T> contract);
}
