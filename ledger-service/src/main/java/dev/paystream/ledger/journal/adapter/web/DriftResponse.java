package dev.paystream.ledger.journal.adapter.web;

import dev.paystream.ledger.journal.domain.Drift;
import java.util.List;

/**
 * {@code GET /v1/ledger/drift}: every check in every currency, and {@code drift}, the sum of their amounts
 * — 0 exactly when every check agrees (a sum over currencies says whether, not how much: read each check).
 */
public record DriftResponse(long drift, List<Check> checks) {

    /** One check in one currency: the sum of the absolute differences, how many objects differ, the largest of them. */
    public record Check(String check, String description, String currency, long amount, long differing, List<Difference> largest) {
    }

    /** An object that differs: its merchant, its id (a settlement, a payment, or the merchant for a per-account check) and by how much. */
    public record Difference(String merchantId, String subject, long amount) {
    }

    static DriftResponse of(List<Drift> drifts) {
        long total = 0;
        for (Drift drift : drifts) {
            total = Math.addExact(total, drift.amount());
        }
        return new DriftResponse(total, drifts.stream()
                .map(drift -> new Check(drift.check().code(), drift.check().description(), drift.currency(), drift.amount(),
                        drift.differing(), drift.largest().stream()
                        .map(difference -> new Difference(difference.merchantId(), difference.subject(), difference.amount())).toList()))
                .toList());
    }
}
