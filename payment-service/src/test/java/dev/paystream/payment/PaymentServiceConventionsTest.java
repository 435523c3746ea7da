package dev.paystream.payment;

import dev.paystream.testsupport.ServiceConventionsTest;
import dev.paystream.testsupport.ServiceTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PaymentServiceConventionsTest extends ServiceConventionsTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "payment");
    }

    @Override
    protected String aV1Path() {
        return "/v1/payments/pay_123";
    }
}
