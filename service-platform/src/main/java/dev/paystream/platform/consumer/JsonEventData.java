package dev.paystream.platform.consumer;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An event's {@code data} member, read as a contract record only when a handler asks for it. */
final class JsonEventData implements EventData {

    private final JsonNode data;
    private final JsonMapper mapper;

    JsonEventData(JsonNode data, JsonMapper mapper) {
        this.data = data;
        this.mapper = mapper;
    }

    @Override
    public <T> Optional<T> as(Class<T> contract) {
        if (data == null || !data.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(mapper.treeToValue(data, contract));
        } catch (JacksonException notThatShape) {
            return Optional.empty();
        }
    }
}
