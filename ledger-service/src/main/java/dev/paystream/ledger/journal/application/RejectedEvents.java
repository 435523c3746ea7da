package dev.paystream.ledger.journal.application;

import reactor.core.publisher.Mono;

/**
 * Events that should move money but break their contract. They are kept for an operator instead of
 * blocking their partition forever; they are not claimed as processed, so replaying the topic after
 * a fix posts them.
 */
public interface RejectedEvents {

    /** Remembers {@code event} and why it was rejected; a second rejection of the same event changes nothing. */
    Mono<Void> record(IncomingEvent event, String reason);
}
