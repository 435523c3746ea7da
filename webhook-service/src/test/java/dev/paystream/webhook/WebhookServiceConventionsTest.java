package dev.paystream.webhook;

import dev.paystream.testsupport.ServiceConventionsTest;
import dev.paystream.testsupport.ServiceTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class WebhookServiceConventionsTest extends ServiceConventionsTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "webhook");
    }

    @Override
    protected String aV1Path() {
        return "/v1/webhook-endpoints";
    }
}
