package dev.paystream.ledger.journal.adapter.metrics;

import dev.paystream.ledger.journal.application.LedgerQueries;
import dev.paystream.ledger.journal.domain.Drift;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code paystream.ledger.drift{check,currency}}: what each drift check found, in minor units, 0 when the
 * ledger agrees (ADR 0006). Tagged by check and currency only — never by merchant: the endpoint
 * {@code GET /v1/ledger/drift} names the merchants and objects that differ. The checks read whole tables,
 * so they run every {@code refresh} in the background rather than on each scrape; between runs, and while
 * the database does not answer, the gauges keep their last figures. The same figure on every instance
 * (aggregate with {@code max}).
 */
public final class DriftGauges implements AutoCloseable {

    private final MultiGauge gauges;
    private final Disposable refreshes;

    public DriftGauges(LedgerQueries queries, MeterRegistry meters, Duration refresh) {
        this.gauges = MultiGauge.builder("paystream.ledger.drift")
                .description("What the ledger's reconciliation check found, in minor units of the currency (0 when it agrees)")
                .register(meters);
        this.refreshes = Flux.interval(Duration.ZERO, refresh)
                .onBackpressureDrop()
                .concatMap(tick -> queries.drift(null).doOnNext(this::show).onErrorResume(failure -> Mono.empty()))
                .subscribe();
    }

    private void show(List<Drift> drifts) {
        // overwrite: a check's figure is replaced by each run's; a currency no check sees any more is removed.
        gauges.register(drifts.stream()
                .map(drift -> MultiGauge.Row.of(Tags.of("check", drift.check().code(), "currency", drift.currency()), drift.amount()))
                .toList(), true);
    }

    @Override
    public void close() {
        refreshes.dispose();
    }
}
