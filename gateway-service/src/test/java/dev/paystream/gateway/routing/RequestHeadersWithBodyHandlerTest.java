package dev.paystream.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadersWithBodyHandlerTest {

    // Outbound messages pass the handler first, then the encoder, as after Reactor Netty's HTTP codec.
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder(), new RequestHeadersWithBodyHandler());

    @Test
    void headsThatAnnounceABodyLeaveWithTheBodysFirstPieceInOneFlush() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/payments");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);

        ChannelFuture headWritten = channel.writeAndFlush(head);
        assertThat(headWritten.isSuccess()).as("reported written, so that the body is written next").isTrue();
        assertThat(channel.outboundMessages()).as("nothing reached the socket yet").isEmpty();

        channel.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertThat(sent()).startsWith("POST /v1/payments HTTP/1.1\r\n").contains("content-length: 5\r\n").endsWith("\r\n\r\nhello");
    }

    @Test
    void aBodyOfTheDeclaredLengthIsSentAsSoonAsItIsCompleteWithoutWaitingForAFlush() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/payments");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 10);

        channel.write(head);
        channel.write(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertThat(channel.outboundMessages()).as("half the body: waits for the rest or a flush").isEmpty();

        channel.write(Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII));
        assertThat(sent()).startsWith("POST /v1/payments HTTP/1.1\r\n").endsWith("\r\n\r\nhelloworld");

        channel.write(LastHttpContent.EMPTY_LAST_CONTENT);
        channel.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/payments/pay_1"));
        assertThat(channel.outboundMessages()).as("a head without a body waits for its flush as before").isEmpty();
        channel.flush();
        assertThat(sent()).startsWith("GET /v1/payments/pay_1 HTTP/1.1\r\n");
    }

    @Test
    void aChunkedBodyIsSentAsSoonAsItsLastChunkIsWritten() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/customers");
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");

        channel.write(head);
        channel.write(Unpooled.copiedBuffer("ab", StandardCharsets.US_ASCII));
        assertThat(channel.outboundMessages()).isEmpty();

        channel.write(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(sent()).contains("transfer-encoding: chunked\r\n").endsWith("\r\n\r\n2\r\nab\r\n0\r\n\r\n");
    }

    @Test
    void aChunkedHeadWaitsForTheFirstChunkOnly() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/customers");
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        channel.writeAndFlush(head);
        assertThat(channel.outboundMessages()).isEmpty();

        channel.writeAndFlush(Unpooled.copiedBuffer("ab", StandardCharsets.US_ASCII));
        assertThat(sent()).contains("transfer-encoding: chunked\r\n").endsWith("\r\n\r\n2\r\nab\r\n");

        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(sent()).as("later pieces are flushed as they come").isEqualTo("0\r\n\r\n");
    }

    @Test
    void headsWithoutABodyAndFullRequestsAreFlushedAtOnce() {
        channel.writeAndFlush(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/payments/pay_1"));
        assertThat(sent()).startsWith("GET /v1/payments/pay_1 HTTP/1.1\r\n");
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        sent();

        DefaultFullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/refunds",
                Unpooled.copiedBuffer("{}", StandardCharsets.US_ASCII));
        full.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
        channel.writeAndFlush(full);
        assertThat(sent()).startsWith("POST /v1/refunds HTTP/1.1\r\n").endsWith("{}");
    }

    @Test
    void aNewRequestWhileTheLastBodyIsMissingClosesTheConnectionInsteadOfCorruptingIt() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/payments");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
        channel.writeAndFlush(head);

        ChannelFuture next = channel.writeAndFlush(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/payments/pay_1"));
        assertThat(next.isSuccess()).isFalse();
        assertThat(channel.isOpen()).isFalse();
        assertThat(sent()).as("neither head reached the socket").isEmpty();
    }

    /** Everything flushed to the socket since the last call, as text. */
    private String sent() {
        StringBuilder text = new StringBuilder();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            text.append(buffer.toString(StandardCharsets.US_ASCII));
            buffer.release();
        }
        return text.toString();
    }
}
