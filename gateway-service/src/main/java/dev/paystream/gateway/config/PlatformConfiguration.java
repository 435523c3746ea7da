package dev.paystream.gateway.config;

import dev.paystream.platform.web.WebPlatformConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The shared platform pieces the gateway uses: problem+json errors and request ids. Not the caller
 * configuration, which is how services behind the gateway trust it, nor the outbox: the gateway
 * publishes no events.
 */
@Configuration(proxyBeanMethods = false)
@Import(WebPlatformConfiguration.class)
public class PlatformConfiguration {
}
