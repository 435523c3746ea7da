package dev.paystream.gateway.config;

import dev.paystream.gateway.routing.RequestHeadersWithBodyHandler;
import java.time.Duration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/** Socket-level tuning of the proxy's connections to the services. */
@Configuration(proxyBeanMethods = false)
public class NettyConfiguration {

    /**
     * How much later than {@code paystream.request-body-timeout} Reactor Netty closes a connection whose
     * request has still not arrived. RequestBodyTimeoutFilter answers such a request with a 408 at the
     * timeout itself; this is the backstop for the connections it leaves alone (a response already
     * under way, a body that nothing read).
     */
    static final Duration REQUEST_TIMEOUT_BACKSTOP = Duration.ofSeconds(5);

    /**
     * A request must arrive within {@code paystream.request-body-timeout} of its headers (plus the
     * backstop's margin), or its connection is closed. The routes' response timeouts start only once
     * a request has been sent in full, so without a limit a client trickling its body would hold a
     * connection to a service, and an open request in it, for as long as it liked.
     */
    @Bean
    NettyServerCustomizer requestBodyTimeout(GatewayProperties properties) {
        return server -> server.requestTimeout(properties.requestBodyTimeout().plus(REQUEST_TIMEOUT_BACKSTOP));
    }

    /** A proxied request's headers and body leave in one write (HTTP/1.1 connections, which are what the routes use). */
    @Bean
    HttpClientCustomizer requestHeadersWithBody() {
        return client -> client.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, RequestHeadersWithBodyHandler.NAME, new RequestHeadersWithBodyHandler());
            }
        });
    }
}
