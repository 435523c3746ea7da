package dev.paystream.platform.idempotency;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Lets a controller method declare an {@link IdempotentRequest} parameter; it is null on paths
 * without idempotency keys.
 */
final class IdempotentRequestArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == IdempotentRequest.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
        IdempotentRequest request = exchange.getAttribute(IdempotencyFilter.ATTRIBUTE);
        return Mono.justOrEmpty(request);
    }
}
