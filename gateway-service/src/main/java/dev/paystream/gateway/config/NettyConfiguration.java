package dev.paystream.gateway.config;

import dev.paystream.gateway.routing.RequestHeadersWithBodyHandler;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/** Socket-level tuning of the proxy's connections to the services. */
@Configuration(proxyBeanMethods = false)
public class NettyConfiguration {

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
