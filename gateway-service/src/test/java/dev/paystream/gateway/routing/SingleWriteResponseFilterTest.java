package dev.paystream.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class SingleWriteResponseFilterTest {

    private final MockServerHttpResponse written = new MockServerHttpResponse();
    private Publisher<? extends DataBuffer> handedOn;
    private final ServerHttpResponseDecorator socket = new ServerHttpResponseDecorator(written) {
        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            handedOn = body;
            return super.writeWith(body);
        }
    };
    private final SingleWriteResponseFilter.SingleWriteResponse response = new SingleWriteResponseFilter.SingleWriteResponse(socket, 16);

    @Test
    void aSmallBodyOfDeclaredLengthIsWrittenAsOneMessage() {
        response.getHeaders().setContentLength(11);
        response.writeWith(chunks("hello", " ", "world")).block();

        assertThat(handedOn).as("one buffer: headers and body leave together").isInstanceOf(Mono.class);
        assertThat(written.getBodyAsString().block()).isEqualTo("hello world");
    }

    @Test
    void aBodyOfUnknownOrLargeLengthStaysAStream() {
        response.writeWith(chunks("data: 1\n\n", "data: 2\n\n")).block();
        assertThat(handedOn).isInstanceOf(Flux.class);
        assertThat(written.getBodyAsString().block()).isEqualTo("data: 1\n\ndata: 2\n\n");
    }

    @Test
    void aBodyLongerThanTheLimitStaysAStream() {
        response.getHeaders().setContentLength(20);
        response.writeWith(chunks("0123456789", "0123456789")).block();
        assertThat(handedOn).isInstanceOf(Flux.class);
        assertThat(written.getBodyAsString().block()).hasSize(20);
    }

    private static Flux<DataBuffer> chunks(String... parts) {
        return Flux.fromArray(parts).map(part -> DefaultDataBufferFactory.sharedInstance.wrap(part.getBytes(StandardCharsets.UTF_8)));
    }
}
