package dev.paystream.customer;

import dev.paystream.customer.support.CustomerServiceInfrastructure;
import dev.paystream.testsupport.ServiceConventionsTest;
import org.junit.jupiter.api.BeforeEach;

/** What every service promises; in the one Spring context all of this module's tests share. */
class CustomerServiceConventionsTest extends ServiceConventionsTest implements CustomerServiceInfrastructure {

    /**
     * This service both produces and consumes, so Kafka's client metrics make its Prometheus page larger
     * than the 64 KB the test client would buffer by default (the service's own limit on request bodies).
     */
    @BeforeEach
    void readsLargeResponses() {
        web = web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(1024 * 1024)).build();
    }

    @Override
    protected String aV1Path() {
        return "/v1/customers";
    }
}
