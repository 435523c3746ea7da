package dev.paystream.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/** The JSON Schemas of shared-events (on the classpath), against which events read back from Kafka are checked. */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://paystream.dev/schemas/", "classpath:schemas/")));

    private EventSchemas() {
    }

    /** What {@code envelope} (a record's value) breaks of the schema of its {@code type}; empty when valid. */
    public static Set<ValidationMessage> violations(String type, String envelope) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of("https://paystream.dev/schemas/v1/" + type + ".json"),
                SchemaValidatorsConfig.builder().build());
        try {
            return schema.validate(new ObjectMapper().readTree(envelope));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
