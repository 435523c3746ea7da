package dev.paystream.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class RedisUrlEnvironmentPostProcessorTest {

    private final RedisUrlEnvironmentPostProcessor processor = new RedisUrlEnvironmentPostProcessor();

    @Test
    void passesPaystreamRedisUrlOnAsSpringsRedisUrl() {
        StandardEnvironment environment = environmentWith(Map.of("PAYSTREAM_REDIS_URL", "redis://10.0.0.5:6380/2"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://10.0.0.5:6380/2");
    }

    @Test
    void anExplicitSpringSettingWins() {
        StandardEnvironment environment = environmentWith(Map.of("PAYSTREAM_REDIS_URL", "redis://a:6379",
                "spring.data.redis.url", "redis://b:6379"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://b:6379");
    }

    @Test
    void leavesRedisUnconfiguredWhenTheVariableIsEmpty() {
        StandardEnvironment environment = environmentWith(Map.of("PAYSTREAM_REDIS_URL", " "));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.containsProperty("spring.data.redis.url")).isFalse();
    }

    private static StandardEnvironment environmentWith(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
