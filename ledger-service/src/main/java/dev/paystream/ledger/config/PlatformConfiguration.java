package dev.paystream.ledger.config;

import dev.paystream.platform.caller.CallerConfiguration;
import dev.paystream.platform.web.WebPlatformConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The shared platform pieces this service uses, wired explicitly. The ledger publishes nothing: no outbox. */
@Configuration(proxyBeanMethods = false)
@Import({WebPlatformConfiguration.class, CallerConfiguration.class})
public class PlatformConfiguration {
}
