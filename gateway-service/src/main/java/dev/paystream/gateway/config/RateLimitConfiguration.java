package dev.paystream.gateway.config;

import dev.paystream.gateway.ratelimit.InMemoryRateLimiter;
import dev.paystream.gateway.ratelimit.RateLimitFilter;
import dev.paystream.gateway.ratelimit.RateLimiter;
import dev.paystream.gateway.ratelimit.RedisRateLimiter;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Per-key rate limits: counted in Redis when one is configured, in this JVM otherwise. */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    RateLimitFilter rateLimitFilter(RateLimiter rateLimiter, ProblemJsonExceptionHandler problems, MeterRegistry meters) {
        return new RateLimitFilter(rateLimiter, problems, meters);
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisConfiguredCondition.class)
    static class Shared {

        @Bean
        RateLimiter sharedRateLimiter(ReactiveRedisConnectionFactory connections, GatewayProperties properties,
                                     Clock clock, MeterRegistry meters) {
            log.info("Rate limits are counted in Redis and shared by every gateway replica");
            GatewayProperties.RateLimit settings = properties.rateLimit();
            return new RedisRateLimiter(new ReactiveStringRedisTemplate(connections), settings.redisKeyPrefix(),
                    settings.redisTimeout(), new InMemoryRateLimiter(clock), meters);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisNotConfiguredCondition.class)
    static class Local {

        @Bean
        RateLimiter localRateLimiter(Clock clock) {
            log.info("No Redis configured (PAYSTREAM_REDIS_URL): rate limits are counted in this gateway only");
            return new InMemoryRateLimiter(clock);
        }
    }

    static final class RedisNotConfiguredCondition implements Condition {

        private final RedisConfiguredCondition configured = new RedisConfiguredCondition();

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !configured.matches(context, metadata);
        }
    }
}
