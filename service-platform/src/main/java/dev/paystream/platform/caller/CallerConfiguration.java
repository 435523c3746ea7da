package dev.paystream.platform.caller;

import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** Services behind the gateway: only the gateway may call {@code /v1}, and controllers receive the {@link Caller}. */
@Configuration(proxyBeanMethods = false)
public class CallerConfiguration {

    @Bean
    GatewayCallerFilter gatewayCallerFilter(@Value("${paystream.gateway.token}") String gatewayToken,
                                            ProblemJsonExceptionHandler problems) {
        return new GatewayCallerFilter(gatewayToken, problems);
    }

    @Bean
    WebFluxConfigurer callerArgumentResolverConfigurer() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CallerArgumentResolver());
            }
        };
    }
}
