package dev.paystream.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy in front of real servers: every fresh connection to PostgreSQL through it is served while
 * it is not cut, and a cut refuses connections (to an echo server on loopback) until it is restored.
 */
class FaultyTcpProxyTest {

    /**
     * Enough fresh connections that the epoll transport's dropped connects (about 3 in 1,000, see
     * {@link FaultyTcpProxy}) show in most runs: 600 take ~25 s here, PostgreSQL starting a backend each.
     */
    private static final int CLIENTS = 3;
    private static final int CONNECTIONS = 600;

    private ServerSocket echoServer;
    private ExecutorService echoing;
    private FaultyTcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echoServer = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        echoing = Executors.newCachedThreadPool();
        echoing.submit(() -> {
            while (!echoServer.isClosed()) {
                Socket client;
                try {
                    client = echoServer.accept();
                } catch (IOException closed) {
                    return null;
                }
                echoing.submit(() -> {
                    try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                        in.transferTo(out);
                    }
                    return null;
                });
            }
            return null;
        });
        proxy = FaultyTcpProxy.to("127.0.0.1", echoServer.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echoServer.close();
        echoing.shutdownNow();
    }

    @Test
    void everyFreshPostgresqlConnectionThroughTheProxyIsServed() throws Exception {
        TestPostgres.Database db = TestPostgres.createDatabase("proxy");
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (FaultyTcpProxy toPostgres = FaultyTcpProxy.to(db.host(), db.port())) {
            String url = "jdbc:postgresql://127.0.0.1:" + toPostgres.port() + "/" + db.name() + "?sslmode=disable";
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int client = 0; client < CLIENTS; client++) {
                clients.submit(() -> {
                    for (int i = 0; i < CONNECTIONS / CLIENTS; i++) {
                        try (Connection connection = DriverManager.getConnection(url, db.user(), db.password());
                                ResultSet one = connection.createStatement().executeQuery("SELECT 1")) {
                            one.next();
                        } catch (SQLException failed) {
                            failures.add(failed.toString());
                        }
                    }
                });
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aCutRefusesConnectionsUntilRestored() throws IOException {
        assertThat(roundTrip((byte) 1)).isEqualTo((byte) 1);
        proxy.cut();
        assertThatThrownBy(() -> roundTrip((byte) 2)).isInstanceOf(IOException.class);
        proxy.restore();
        assertThat(roundTrip((byte) 3)).isEqualTo((byte) 3);
    }

    private byte roundTrip(byte value) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(value);
            socket.getOutputStream().flush();
            int answer = socket.getInputStream().read();
            if (answer < 0) {
                throw new IOException("the connection was closed before the answer");
            }
            return (byte) answer;
        }
    }
}
