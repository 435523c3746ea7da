package dev.paystream.platform.consumer;

import java.util.Collection;
import java.util.Set;

/**
 * The event types a handler wants to be given, as it answers for one attempt at one poll
 * ({@link EventHandler#wantedTypes}). A record whose {@code ce_type} header names a type of CONTRACT §11
 * that is not wanted is skipped before its value is read: it is never parsed, claimed or parked, only
 * counted, and its offset is committed with the poll's. A record without that header, or whose header
 * names no type of the contract, is read as ever, so that nothing the handler might want (or should
 * park) is passed over on the word of a header the consumer does not understand.
 */
@FunctionalInterface
public interface WantedTypes {

    /** Every type: nothing is skipped, and no header is even looked at. */
    WantedTypes ALL = type -> true;

    /** Whether the handler wants events of {@code type}, a type of CONTRACT §11. */
    boolean includes(String type);

    /** Only the events of {@code types}. */
    static WantedTypes only(Collection<String> types) {
        Set<String> wanted = Set.copyOf(types);
        return wanted::contains;
    }
}
