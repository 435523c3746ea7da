package dev.paystream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Found by the hostile-input fuzzing: a request line over 4 KiB or headers over 8 KiB were answered by
 * Reactor Netty with a bare 414/431 — no body, no Content-Type, no X-Request-Id. The server's pipeline
 * now answers them with a problem (CONTRACT §1).
 */
class DecoderFailureProblemsTest {

    @Test
    void aRequestLineOverTheLimitIsA414ProblemWithARequestId() {
        FullHttpResponse answer = exchange("GET /v1/payments/pay_" + "x".repeat(5_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(answer.status().code()).isEqualTo(414);
        assertProblem(answer, "request_line_too_long", 414);
    }

    @Test
    void headersOverTheLimitAreA431Problem() {
        FullHttpResponse answer = exchange("POST /v1/payments HTTP/1.1\r\nHost: a\r\nIdempotency-Key: " + "k".repeat(10_000) + "\r\n\r\n");

        assertThat(answer.status().code()).isEqualTo(431);
        assertProblem(answer, "request_headers_too_large", 431);
    }

    @Test
    void aWellFormedRequestPassesThroughUntouched() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(4096, 8192, 8192), new HttpResponseEncoder(), new DecoderFailureProblems());

        channel.writeInbound(Unpooled.copiedBuffer("GET /v1/payments HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));

        assertThat((Object) channel.readInbound()).isInstanceOf(io.netty.handler.codec.http.HttpRequest.class);
        assertThat((Object) channel.readOutbound()).isNull();
        channel.finishAndReleaseAll();
    }

    private static FullHttpResponse exchange(String request) {
        // The limits of Reactor Netty's server (and Spring Boot's defaults): 4,096 for the line, 8,192 for the headers.
        EmbeddedChannel server = new EmbeddedChannel(new HttpRequestDecoder(4096, 8192, 8192), new HttpResponseEncoder(), new DecoderFailureProblems());
        server.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        assertThat((Object) server.readInbound()).as("nothing reaches the application").isNull();
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        for (ByteBuf written = server.readOutbound(); written != null; written = server.readOutbound()) {
            client.writeInbound(written);
        }
        assertThat(server.isOpen()).as("the connection is closed after the answer").isFalse();
        return client.readInbound();
    }

    private static void assertProblem(FullHttpResponse answer, String code, int status) {
        assertThat(answer.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.headers().get(RequestIdFilter.HEADER)).startsWith("req_");
        JsonNode problem = JsonMapper.builder().build().readTree(answer.content().toString(StandardCharsets.UTF_8));
        assertThat(problem.path("code").asString()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("request_id").asString()).isEqualTo(answer.headers().get(RequestIdFilter.HEADER));
        assertThat(problem.path("type").asString()).endsWith(code);
        answer.release();
    }
}
