package dev.paystream.gateway.config;

import dev.paystream.gateway.routing.RequestHeadersWithBodyHandler;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/** Socket-level tuning of the proxy's connections to the services. */
@Configuration(proxyBeanMethods = false)
public class NettyConfiguration {

    /**
     * A request body must arrive within {@code paystream.request-body-timeout} of its headers, or the
     * connection is closed. The routes' response timeouts start only once a request has been sent in
     * full, so without this a client trickling its body would hold a connection to a service, and an
     * open request in it, for as long as it liked.
     */
    @Bean
    NettyServerCustomizer requestBodyTimeout(GatewayProperties properties) {
        return server -> server.requestTimeout(properties.requestBodyTimeout());
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
