package dev.paystream.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one codec of every aggregate's stored events: its table of type names must be whole, and old payloads stay readable. */
class JsonEventCodecTest {

    sealed interface ThingEvent {
        String thingId();

        Instant occurredAt();
    }

    record ThingMade(String thingId, long size, Instant occurredAt) implements ThingEvent {
    }

    record ThingDropped(String thingId, Instant occurredAt) implements ThingEvent {
    }

    private static final Instant AT = Instant.parse("2026-11-30T12:00:00.123Z");

    private final JsonEventCodec<ThingEvent> codec = new JsonEventCodec<>(ThingEvent.class,
            Map.of("thing.made", ThingMade.class, "thing.dropped", ThingDropped.class), ThingEvent::thingId, ThingEvent::occurredAt);

    @Test
    void anEventIsStoredUnderItsTypeNameAndReadBackAsItWas() {
        ThingEvent made = new ThingMade("thing_1", 42, AT);

        assertThat(codec.type(made)).isEqualTo("thing.made");
        assertThat(codec.aggregateId(made)).isEqualTo("thing_1");
        assertThat(codec.occurredAt(made)).isEqualTo(AT);
        assertThat(codec.decode("thing.made", codec.encode(made))).isEqualTo(made);
    }

    @Test
    void aMemberThatNoLongerExistsInTheRecordIsIgnoredWhenAnOldEventIsRead() {
        assertThat(codec.decode("thing.dropped", "{\"thingId\":\"thing_1\",\"reason\":\"gone\",\"occurredAt\":\"2026-11-30T12:00:00.123Z\"}"))
                .isEqualTo(new ThingDropped("thing_1", AT));
    }

    @Test
    void aTableOfTypeNamesThatLacksAKindOfEventIsRefusedAtOnce() {
        assertThatThrownBy(() -> new JsonEventCodec<>(ThingEvent.class, Map.of("thing.made", ThingMade.class), ThingEvent::thingId,
                ThingEvent::occurredAt))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ThingDropped");
    }

    @Test
    void aStoredTypeTheCodecDoesNotKnowFailsLoudly() {
        assertThatThrownBy(() -> codec.decode("thing.painted", "{}")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("thing.painted");
    }
}
