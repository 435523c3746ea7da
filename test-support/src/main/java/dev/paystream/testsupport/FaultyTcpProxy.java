package dev.paystream.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * A TCP proxy in front of a real server, for fault injection: point a service at {@link #port()}
 * instead of the server's, then {@link #cut()} to drop every open connection and refuse new ones (as
 * a restarting or unreachable server would), and {@link #restore()} to let connections through again.
 * Bytes pass unchanged; nothing is mocked. {@link #loseAnswerTo} drops one connection just after the
 * server answered a chosen message, as a network failure right after a commit would. Close it when
 * the test is done.
 */
public final class FaultyTcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    /**
     * Java's NIO transport, not Netty's native epoll ({@code runOn(loops, false)} below): on epoll about
     * 3 in 1,000 of the proxy's connects to PostgreSQL failed with {@code NotYetConnectedException}
     * (netty/netty#10411) and the client's connection was dropped, though nothing was cut — measured
     * 2026-11-30 under load, 23 of 9,000 (R2DBC) and 4 of 1,500 (JDBC), direct connections 0 of 6,000;
     * on NIO 0 of 7,500. A test's own query failed that way in CI ("Failed to obtain R2DBC Connection").
     */
    private final LoopResources loops = LoopResources.create("faulty-tcp-proxy", 1, true);
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final DisposableServer server;
    private volatile boolean cut;
    private volatile AnswerToLose answerToLose;

    /** The message whose answer is lost: the {@code remaining}-th one from now that holds {@code marker}. */
    private static final class AnswerToLose {
        final String marker;
        final AtomicInteger remaining;
        final CompletableFuture<Void> lost = new CompletableFuture<>();

        AnswerToLose(String marker, int occurrence) {
            this.marker = marker;
            this.remaining = new AtomicInteger(occurrence);
        }
    }

    private FaultyTcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = TcpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops, false)
                .doOnConnection(client -> {
                    if (cut) {
                        client.dispose();
                    } else {
                        track(client);
                    }
                })
                .handle((in, out) -> TcpClient.newConnection()
                        .host(this.targetHost)
                        .port(this.targetPort)
                        .runOn(loops, false)
                        .connect()
                        .flatMap(target -> {
                            track(target);
                            AtomicBoolean armed = new AtomicBoolean();
                            Mono<Void> toTarget = target.outbound().send(in.receive().retain().doOnNext(bytes -> {
                                AnswerToLose lose = answerToLose;
                                if (lose != null && bytes.toString(StandardCharsets.ISO_8859_1).contains(lose.marker)
                                        && lose.remaining.decrementAndGet() == 0) {
                                    armed.set(true);
                                }
                            })).then();
                            Mono<Void> toClient = out.send(target.inbound().receive().retain().handle((bytes, sink) -> {
                                if (armed.get()) {
                                    // The server answered the chosen message: drop the answer and the connection.
                                    bytes.release();
                                    AnswerToLose lose = answerToLose;
                                    answerToLose = null;
                                    target.dispose();
                                    sink.error(new IllegalStateException("answer lost on purpose"));
                                    lose.lost.complete(null);
                                } else {
                                    sink.next(bytes);
                                }
                            })).then();
                            // Whichever side ends first ends both.
                            return Mono.firstWithSignal(toTarget, toClient).onErrorComplete().doFinally(signal -> target.dispose());
                        }))
                .bindNow();
    }

    /** A proxy to {@code host}:{@code port}, letting connections through. */
    public static FaultyTcpProxy to(String host, int port) {
        return new FaultyTcpProxy(host, port);
    }

    /** The local port to connect to instead of the server's. */
    public int port() {
        return server.port();
    }

    /** Drops every open connection at once and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(Connection::dispose);
        open.clear();
    }

    /**
     * Lets the {@code occurrence}-th message from now that a client sends with {@code marker} in its
     * bytes reach the server, then drops that connection as soon as the server answers, without
     * passing the answer on: the server did the work (committed), the client never learns it. The
     * returned future completes once the answer was lost.
     */
    public CompletableFuture<Void> loseAnswerTo(String marker, int occurrence) {
        AnswerToLose lose = new AnswerToLose(marker, occurrence);
        answerToLose = lose;
        return lose.lost;
    }

    /** Lets new connections through again. */
    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        cut();
        server.disposeNow();
        loops.disposeLater().block();
    }

    private void track(Connection connection) {
        open.add(connection);
        connection.onDispose(() -> open.remove(connection));
    }
}
