package dev.paystream.webhook;

import dev.paystream.testsupport.ServiceConventionsTest;
import dev.paystream.testsupport.ServiceTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class WebhookServiceConventionsTest extends ServiceConventionsTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "webhook");
        // Not the group of the other test contexts in this JVM, which would then share the partitions with this one.
        registry.add("spring.kafka.consumer.group-id", () -> "webhook-conventions-test");
    }

    @Override
    protected String aV1Path() {
        return "/v1/webhook-endpoints";
    }
}
