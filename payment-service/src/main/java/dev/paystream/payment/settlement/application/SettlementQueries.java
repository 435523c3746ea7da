package dev.paystream.payment.settlement.application;

import dev.paystream.events.v1.SettlementV1;
import dev.paystream.payment.settlement.domain.SettlementLine;
import dev.paystream.platform.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of completed settlements as the API shows them, and of their lines for the settlement file. */
public interface SettlementQueries {

    /** The completed settlement; empty when it does not exist (or is still being built) or belongs to another merchant. */
    Mono<SettlementV1> find(String id, String merchantId);

    /** The rows of {@code page}, newest first. */
    Flux<SettlementV1> list(String merchantId, PageRequest page);

    /**
     * Every line of the completed settlement, payments first, each kind in id order, read a page at a time as
     * the subscriber asks for them: a file of a million lines is never held in memory.
     */
    Flux<SettlementLine> lines(String id);
}
