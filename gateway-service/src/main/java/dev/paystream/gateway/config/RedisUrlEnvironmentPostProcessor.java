package dev.paystream.gateway.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Lets operators configure Redis with {@code PAYSTREAM_REDIS_URL}, like every other Paystream
 * setting, by passing it on as {@code spring.data.redis.url}. It is added at the lowest precedence,
 * so an explicit {@code spring.data.redis.*} setting wins. It cannot be a placeholder in
 * application.yml: an empty {@code spring.data.redis.url} is a malformed URL to Spring Boot, and its
 * absence is what says "no Redis, count in-process".
 */
public final class RedisUrlEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String VARIABLE = "PAYSTREAM_REDIS_URL";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty(VARIABLE);
        if (StringUtils.hasText(url)) {
            environment.getPropertySources().addLast(new MapPropertySource("paystreamRedisUrl",
                    Map.of("spring.data.redis.url", url.strip())));
        }
    }
}
