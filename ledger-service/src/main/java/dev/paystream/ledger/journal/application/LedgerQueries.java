package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.AccountBalance;
import dev.paystream.ledger.journal.domain.Drift;
import dev.paystream.ledger.journal.domain.TrialBalance;
import java.util.List;
import reactor.core.publisher.Mono;

/** What the ledger answers; every merchant-facing query is scoped to one merchant. */
public interface LedgerQueries {

    /** The position of one of the merchant's entries; empty when the merchant has no such entry. */
    Mono<EntryCursor> cursor(String merchantId, String entryId);

    Mono<EntryPage> entries(EntryQuery query);

    /** The merchant's accounts that have at least one line, ordered by currency, then account type. */
    Mono<List<AccountBalance>> balances(String merchantId);

    /** Debits and credits per currency across every merchant. */
    Mono<TrialBalance> trialBalance();

    /**
     * Every drift check in every currency the ledger has lines or facts of settlement in, across every
     * merchant or only {@code merchantId}'s (when not null): by check, then currency; 0 where the check agrees.
     */
    Mono<List<Drift>> drift(String merchantId);
}
