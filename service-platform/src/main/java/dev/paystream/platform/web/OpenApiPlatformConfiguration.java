package dev.paystream.platform.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.paystream.platform.caller.Caller;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the generated OpenAPI document say what the wire says: snake_case property names (the
 * document generator has its own JSON model, which does not see the application's JsonMapper), and
 * no {@link Caller} parameter, which the gateway fills rather than the client.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiPlatformConfiguration {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }
}
