package dev.paystream.payment.config;

import dev.paystream.platform.caller.CallerConfiguration;
import dev.paystream.platform.consumer.EventConsumerConfiguration;
import dev.paystream.platform.idempotency.IdempotencyConfiguration;
import dev.paystream.platform.outbox.OutboxConfiguration;
import dev.paystream.platform.web.WebPlatformConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The shared platform pieces this service uses, wired explicitly. */
@Configuration(proxyBeanMethods = false)
@Import({WebPlatformConfiguration.class, CallerConfiguration.class, IdempotencyConfiguration.class, OutboxConfiguration.class,
        EventConsumerConfiguration.class})
public class PlatformConfiguration {
}
