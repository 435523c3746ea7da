package dev.paystream.customer;

import dev.paystream.testsupport.ServiceConventionsTest;
import dev.paystream.testsupport.ServiceTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class CustomerServiceConventionsTest extends ServiceConventionsTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "customer");
    }

    @Override
    protected String aV1Path() {
        return "/v1/customers";
    }
}
