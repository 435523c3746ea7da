package dev.paystream.customer.config;

import dev.paystream.platform.caller.CallerConfiguration;
import dev.paystream.platform.consumer.EventConsumerConfiguration;
import dev.paystream.platform.outbox.OutboxConfiguration;
import dev.paystream.platform.web.WebPlatformConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The shared platform pieces this service uses, wired explicitly: the HTTP conventions, the caller
 * identity, the outbox (customer and invoice events) and the idempotent consumer (payment events that
 * pay invoices). No idempotency keys: no endpoint of this service moves money (CONTRACT §3).
 */
@Configuration(proxyBeanMethods = false)
@Import({WebPlatformConfiguration.class, CallerConfiguration.class, OutboxConfiguration.class, EventConsumerConfiguration.class})
public class PlatformConfiguration {
}
