package dev.paystream.gateway;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A second, real gateway application in the same JVM, started from the same properties as the first. */
final class SecondGatewayReplica implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondGatewayReplica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static SecondGatewayReplica start(Map<String, Object> properties) {
        String[] arguments = properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new);
        return new SecondGatewayReplica(new SpringApplicationBuilder(GatewayApplication.class, OwnNettyResources.class).run(arguments));
    }

    WebTestClient client() {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * By default every Spring context in a JVM shares Reactor Netty's global event loops and disposes
     * them when it closes; this replica gets its own, so closing it leaves the first gateway running.
     * Deliberately not a {@code @Configuration}: component scanning must not pick it up for the first.
     */
    static class OwnNettyResources {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory resources = new ReactorResourceFactory();
            resources.setUseGlobalResources(false);
            return resources;
        }
    }
}
