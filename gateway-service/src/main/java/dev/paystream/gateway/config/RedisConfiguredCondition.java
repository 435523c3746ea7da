package dev.paystream.gateway.config;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * True when the operator pointed the gateway at a Redis server ({@code PAYSTREAM_REDIS_URL},
 * {@code spring.data.redis.url} or {@code spring.data.redis.host}). Spring Boot would otherwise
 * assume localhost, and a local run without Redis must count in-process instead.
 */
public final class RedisConfiguredCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return StringUtils.hasText(context.getEnvironment().getProperty("spring.data.redis.url"))
                || StringUtils.hasText(context.getEnvironment().getProperty("spring.data.redis.host"));
    }
}
