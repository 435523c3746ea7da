package dev.paystream.webhook.delivery.application;

import dev.paystream.webhook.delivery.domain.AttemptResult;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Sends one attempt: a POST of {@code body} with {@code headers} to {@code url}, never following a redirect. */
public interface Sender {

    /** Always emits a result: an answer, or why none came (a timeout, a refused target). */
    Mono<AttemptResult> send(String url, Map<String, String> headers, String body);
}
