package dev.paystream.webhook.delivery.adapter.r2dbc;

import dev.paystream.webhook.delivery.application.Subscriptions;
import dev.paystream.webhook.delivery.domain.SubscribedTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * What each merchant's live endpoints subscribe to, kept in memory per merchant and checked against
 * {@code webhook_subscriptions_version} on every call (one single-row read), so that the fan-out of an
 * event nobody subscribes to costs no write and no commit.
 *
 * <p><b>Why it never misses an endpoint created before an event was consumed.</b> Every change to what an
 * endpoint subscribes to moves the version in its own transaction (triggers, migration V3), and changes
 * are numbered in commit order. A merchant's entry is tagged with the version read <em>before</em> the
 * entry was loaded, so it reflects every change numbered up to its tag. A call reads the version first
 * and uses only entries tagged with exactly that version, loading the others again: every change that
 * committed before the call is numbered at most that version, so the answer reflects it. An endpoint
 * that commits after the version was read is, for the events of this call, created after they were
 * consumed; the next call sees it. On several instances each keeps its own view and each reads the
 * version, so an endpoint created through one instance counts on every other one from its next call on.
 */
public final class R2dbcSubscriptions implements Subscriptions {

    /** An entry: what a merchant's endpoints subscribe to, loaded after the version it is tagged with was read. */
    private record Entry(long version, SubscribedTypes types) {
    }

    private final DatabaseClient database;
    private final int merchantsMax;
    private final Map<String, Entry> merchants = new ConcurrentHashMap<>();
    /** What the live endpoints of all merchants subscribe to together, on the same terms as each merchant's entry. */
    private final AtomicReference<Entry> anyMerchant = new AtomicReference<>();

    /**
     * @param merchantsMax the most merchants kept; beyond it the view starts empty again (and reloads
     *                     the merchants it meets), which bounds its memory
     */
    public R2dbcSubscriptions(DatabaseClient database, int merchantsMax) {
        this.database = database;
        this.merchantsMax = merchantsMax;
    }

    @Override
    public Mono<Map<String, SubscribedTypes>> of(Collection<String> merchantIds) {
        if (merchantIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return database.sql("SELECT version FROM webhook_subscriptions_version")
                .map(row -> row.get("version", Long.class))
                .one()
                .flatMap(version -> {
                    Map<String, SubscribedTypes> known = new HashMap<>();
                    List<String> stale = new ArrayList<>();
                    for (String merchantId : new LinkedHashSet<>(merchantIds)) {
                        Entry entry = merchants.get(merchantId);
                        if (entry != null && entry.version() == version) {
                            known.put(merchantId, entry.types());
                        } else {
                            stale.add(merchantId);
                        }
                    }
                    if (stale.isEmpty()) {
                        return Mono.just(known);
                    }
                    return load(stale).map(loaded -> {
                        if (merchants.size() + stale.size() > merchantsMax) {
                            merchants.clear();
                        }
                        for (String merchantId : stale) {
                            SubscribedTypes types = loaded.getOrDefault(merchantId, SubscribedTypes.none());
                            // A concurrent call may have stored a newer entry meanwhile: the newer one stays.
                            merchants.merge(merchantId, new Entry(version, types),
                                    (present, loadedNow) -> present.version() > loadedNow.version() ? present : loadedNow);
                            known.put(merchantId, types);
                        }
                        return known;
                    });
                });
    }

    /**
     * The same guarantee as {@link #of}, by the same rule: the version is read first, and an entry tagged
     * with another one is loaded again. One poll costs this single-row read; an endpoint change costs one
     * load of the distinct types all live endpoints name (a few dozen at most: the types of CONTRACT §11,
     * their prefixes and {@code *}).
     */
    @Override
    public Mono<SubscribedTypes> ofAnyMerchant() {
        return database.sql("SELECT version FROM webhook_subscriptions_version")
                .map(row -> row.get("version", Long.class))
                .one()
                .flatMap(version -> {
                    Entry entry = anyMerchant.get();
                    if (entry != null && entry.version() == version) {
                        return Mono.just(entry.types());
                    }
                    return database.sql("""
                                    SELECT DISTINCT event_type
                                    FROM webhook_endpoints, unnest(event_types) AS event_type
                                    WHERE deleted_at IS NULL AND NOT disabled""")
                            .map(row -> row.get("event_type", String.class))
                            .all()
                            .collectList()
                            .map(patterns -> {
                                SubscribedTypes types = SubscribedTypes.of(patterns);
                                // A concurrent call may have stored a newer entry meanwhile: the newer one stays.
                                anyMerchant.accumulateAndGet(new Entry(version, types),
                                        (present, loadedNow) -> present != null && present.version() > loadedNow.version() ? present : loadedNow);
                                return types;
                            });
                });
    }

    /** What the live endpoints of {@code merchantIds} subscribe to now; merchants without any are absent. */
    private Mono<Map<String, SubscribedTypes>> load(List<String> merchantIds) {
        return database.sql("""
                        SELECT merchant_id, array_agg(DISTINCT event_type) AS event_types
                        FROM webhook_endpoints, unnest(event_types) AS event_type
                        WHERE merchant_id = ANY(:merchantIds) AND deleted_at IS NULL AND NOT disabled
                        GROUP BY merchant_id""")
                .bind("merchantIds", merchantIds.toArray(String[]::new))
                .map(row -> Map.entry(row.get("merchant_id", String.class),
                        SubscribedTypes.of(Arrays.asList(row.get("event_types", String[].class)))))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }
}
