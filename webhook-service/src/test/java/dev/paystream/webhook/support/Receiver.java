package dev.paystream.webhook.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real webhook receiver on 127.0.0.1 and a random port (the JDK's HTTP server), for tests: it keeps
 * every request it gets and answers as the test says, per request. Stop it with {@link #close()}.
 */
public final class Receiver implements AutoCloseable {

    /** A request as received: lower-case header names to their values, and the body. */
    public record Request(String path, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String webhookId() {
            return header("webhook-id");
        }
    }

    /** What to answer: a status code, a body and optional headers (e.g. a Location), after an optional delay. */
    public record Answer(int status, String body, Map<String, String> headers, long delayMillis) {

        public static Answer status(int status) {
            return new Answer(status, "", Map.of(), 0);
        }

        public static Answer of(int status, String body) {
            return new Answer(status, body, Map.of(), 0);
        }

        public Answer after(long delayMillis) {
            return new Answer(status, body, headers, delayMillis);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, body, more, delayMillis);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seenPerWebhookId = new ConcurrentHashMap<>();
    private volatile Function<Request, Answer> answers;

    private Receiver(Function<Request, Answer> answers) {
        this.answers = answers;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver that answers every request with {@code answers}. */
    public static Receiver answering(Function<Request, Answer> answers) {
        return new Receiver(answers);
    }

    /** A receiver that answers 200 to everything. */
    public static Receiver ok() {
        return new Receiver(request -> Answer.status(200));
    }

    /** A receiver that answers {@code failures} times 500 per webhook id (event), then 200. */
    public static Receiver failingTimesPerEvent(int failures) {
        Receiver receiver = new Receiver(null);
        receiver.answers = request -> receiver.countOf(request.webhookId()) <= failures ? Answer.of(500, "not yet") : Answer.of(200, "ok");
        return receiver;
    }

    public void answer(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public List<Request> requestsFor(String webhookId) {
        return requests.stream().filter(request -> webhookId.equals(request.webhookId())).toList();
    }

    /** How many requests carried {@code webhookId} so far, this one included when asked while answering it. */
    public int countOf(String webhookId) {
        AtomicInteger count = seenPerWebhookId.get(String.valueOf(webhookId));
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
            Request request = new Request(exchange.getRequestURI().toString(), headers, new String(body, StandardCharsets.UTF_8));
            seenPerWebhookId.computeIfAbsent(String.valueOf(request.webhookId()), id -> new AtomicInteger()).incrementAndGet();
            requests.add(request);
            Answer answer = answers.apply(request);
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (IOException clientWentAway) {
            // The sender gave up (its timeout): nothing to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
