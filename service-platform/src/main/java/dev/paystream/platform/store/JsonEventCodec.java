package dev.paystream.platform.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * How every aggregate keeps its events in its stream's {@code payload} column: each event record's own
 * fields as JSON, under the contract's type name. The format is private to the service; renaming a field
 * of a domain event means migrating stored events (or keeping an alias), which is why the records stay
 * small. Unknown members are ignored when reading, so a member removed from a record does not break old events.
 *
 * <p>One codec for every aggregate rather than one per aggregate: they only differ in their table of type
 * names, which is checked here against the sealed event type (a kind of event the table lacks fails at
 * start-up, not when it is first stored). Readers and writers are made once per kind of event, not looked
 * up per event: a settlement page encodes and decodes thousands of events.
 *
 * @param <E> the aggregate's event type, a sealed interface of records
 */
public final class JsonEventCodec<E> implements EventStream.Codec<E> {

    private static final JsonMapper STORAGE = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final String aggregate;
    private final Map<Class<?>, String> typeNames = new HashMap<>();
    private final Map<Class<?>, ObjectWriter> writers = new HashMap<>();
    private final Map<String, ObjectReader> readers = new HashMap<>();
    private final Function<? super E, String> aggregateId;
    private final Function<? super E, Instant> occurredAt;

    /**
     * @param eventType   the sealed interface of the aggregate's events
     * @param types       the stored (contract) type name of each kind of event; every permitted kind must have one
     * @param aggregateId the id of the aggregate an event belongs to
     * @param occurredAt  when an event happened
     */
    public JsonEventCodec(Class<E> eventType, Map<String, Class<? extends E>> types, Function<? super E, String> aggregateId,
                          Function<? super E, Instant> occurredAt) {
        this.aggregate = eventType.getSimpleName();
        this.aggregateId = Objects.requireNonNull(aggregateId, "aggregateId");
        this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
        types.forEach((name, kind) -> {
            if (typeNames.putIfAbsent(kind, name) != null) {
                throw new IllegalArgumentException(kind.getSimpleName() + " has two stored type names");
            }
            writers.put(kind, STORAGE.writerFor(kind));
            readers.put(name, STORAGE.readerFor(kind));
        });
        Class<?>[] kinds = eventType.getPermittedSubclasses();
        if (kinds == null) {
            throw new IllegalArgumentException(aggregate + " is not sealed: the codec cannot tell whether every kind of event has a type name");
        }
        Arrays.stream(kinds).filter(kind -> !typeNames.containsKey(kind)).findFirst().ifPresent(missing -> {
            throw new IllegalArgumentException(missing.getSimpleName() + " has no stored type name");
        });
    }

    @Override
    public String type(E event) {
        return typeNames.get(event.getClass());
    }

    @Override
    public String encode(E event) {
        return writers.get(event.getClass()).writeValueAsString(event);
    }

    @Override
    public E decode(String type, String payload) {
        ObjectReader reader = readers.get(type);
        if (reader == null) {
            throw new IllegalStateException("unknown stored " + aggregate + " type " + type);
        }
        return reader.readValue(payload);
    }

    @Override
    public String aggregateId(E event) {
        return aggregateId.apply(event);
    }

    @Override
    public Instant occurredAt(E event) {
        return occurredAt.apply(event);
    }
}
