package dev.paystream.webhook.config;

import dev.paystream.platform.caller.CallerConfiguration;
import dev.paystream.platform.consumer.EventConsumerConfiguration;
import dev.paystream.platform.web.WebPlatformConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The shared platform pieces this service uses, wired explicitly: the HTTP conventions, the caller
 * identity and the idempotent consumer. It publishes nothing: no outbox.
 */
@Configuration(proxyBeanMethods = false)
@Import({WebPlatformConfiguration.class, CallerConfiguration.class, EventConsumerConfiguration.class})
public class PlatformConfiguration {
}
