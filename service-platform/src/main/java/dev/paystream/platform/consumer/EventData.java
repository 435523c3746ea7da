package dev.paystream.platform.consumer;

import java.util.Optional;

/**
 * The type-specific {@code data} of an incoming event, read on demand as one of the contract records
 * of shared-events, so that a handler's rules never see JSON.
 */
public interface EventData {

    /** The data as {@code contract}, or empty when it does not have that record's shape. */
    <T> Optional<T> as(Class<T> contract);
}
