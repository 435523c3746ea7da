package dev.paystream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The request id every response carries, and the one access-log line every request leaves. */
class RequestIdFilterTest {

    private final RequestIdFilter filter = new RequestIdFilter();
    private final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

    @BeforeEach
    void captureAccessLog() {
        accessLog.start();
        ((Logger) LoggerFactory.getLogger("paystream.requests")).addAppender(accessLog);
    }

    @AfterEach
    void releaseAccessLog() {
        ((Logger) LoggerFactory.getLogger("paystream.requests")).detachAppender(accessLog);
    }

    private List<String> lines() {
        return accessLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aCompletedRequestGetsAnIdAndOneLineWithItsStatus() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/payments"));

        filter.filter(exchange, forwarded -> {
            assertThat(RequestIdFilter.requestId(forwarded)).startsWith("req_");
            forwarded.getResponse().setStatusCode(HttpStatus.CREATED);
            return Mono.empty();
        }).block();

        String id = exchange.getResponse().getHeaders().getFirst(RequestIdFilter.HEADER);
        assertThat(id).matches("req_[0-9a-f]{24}");
        assertThat(lines()).singleElement().asString()
                .matches("POST /v1/payments status=201 duration_ms=\\d+ request_id=" + id);
    }

    @Test
    void aSafeClientIdIsKeptAndAnUnsafeOneReplaced() {
        MockServerWebExchange kept = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/payments")
                .header(RequestIdFilter.HEADER, "client-42.a:b_c"));
        MockServerWebExchange replaced = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/payments")
                .header(RequestIdFilter.HEADER, "evil\nstatus=200"));

        filter.filter(kept, forwarded -> Mono.empty()).block();
        filter.filter(replaced, forwarded -> Mono.empty()).block();

        assertThat(kept.getResponse().getHeaders().getFirst(RequestIdFilter.HEADER)).isEqualTo("client-42.a:b_c");
        assertThat(replaced.getResponse().getHeaders().getFirst(RequestIdFilter.HEADER)).matches("req_[0-9a-f]{24}");
        assertThat(lines()).hasSize(2).noneMatch(line -> line.contains("evil"));
    }

    @Test
    void aRequestWhoseClientWentAwayIsLoggedAs499NotAsItsResponseStatus() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/payments"));
        Sinks.Empty<Void> neverAnswered = Sinks.empty();

        filter.filter(exchange, forwarded -> neverAnswered.asMono()).subscribe().dispose();

        assertThat(lines()).singleElement().asString().startsWith("POST /v1/payments status=499 ");
    }
}
