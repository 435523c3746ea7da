package dev.paystream.platform.web;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP conventions of CONTRACT §1 that every service shares: snake_case JSON that refuses
 * fractional integers, numbers in strings, duplicate and unknown fields, with timestamps to the second, problem+json errors, and request ids.
 */
@Configuration(proxyBeanMethods = false)
@Import(OpenApiPlatformConfiguration.class)
public class WebPlatformConfiguration {

    @Bean
    JsonMapperBuilderCustomizer paystreamJsonConventions() {
        return builder -> builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                // 50.5 must be rejected as an amount, not silently truncated to 50.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // A misspelt field ("capture_metod") must be an error, not a silently different payment.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // {"amount":1,"amount":5000} means two things; the last one silently winning is not an answer.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // "amount":"5000" is a string, not an amount: no coercion from strings to numbers or booleans.
                .withCoercionConfig(LogicalType.Integer, strict -> strict.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, strict -> strict.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, strict -> strict.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                // CONTRACT §1: timestamps are ISO-8601 UTC at one precision everywhere, the second
                // ("2026-11-23T18:30:00Z"); services keep finer ones internally, sequences order events.
                .addModule(new SimpleModule("paystream-timestamps").addSerializer(Instant.class, new ValueSerializer<Instant>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
                        generator.writeString(DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.SECONDS)));
                    }
                }));
    }

    @Bean
    ProblemJsonExceptionHandler problemJsonExceptionHandler(JsonMapper jsonMapper) {
        return new ProblemJsonExceptionHandler(jsonMapper);
    }

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    /**
     * A request Netty's HTTP decoder refuses (a request line over 4 KiB, headers over 8 KiB) never reaches
     * Spring; {@link DecoderFailureProblems} answers it with a problem instead of an empty 414/431.
     */
    @Bean
    NettyServerCustomizer decoderFailureProblems() {
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
                channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, "paystreamDecoderFailureProblems", new DecoderFailureProblems());
            }
        });
    }
}
