package dev.paystream.customer.support;

import dev.paystream.testsupport.ServiceTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Points customer-service at a fresh real PostgreSQL database and the shared real broker. Every Spring
 * test class of this module implements it, so they all declare the very same property source method
 * and share one cached context: one database, and one consumer in the {@code customer-service} group
 * (a second context would be a second consumer in that group, taking partitions from the first).
 */
public interface CustomerServiceInfrastructure {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "customer");
    }
}
