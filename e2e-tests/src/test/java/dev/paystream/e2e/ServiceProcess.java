package dev.paystream.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.paystream.testsupport.TestKafka;
import dev.paystream.testsupport.TestPostgres;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Paystream service running as its own JVM, as {@code ./paystream up} runs it: the
 * executable jar, a bounded heap, configuration through environment variables, output to a log file.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String module, int port, Path log, Process process) {
        this.module = module;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static ServiceProcess start(String module, int port, Map<String, String> environment) {
        Path servicesDir = Path.of(System.getProperty("paystream.services.dir", ".."));
        Path jar = servicesDir.resolve(module).resolve("target").resolve(module + "-" + System.getProperty("paystream.version", "0.1.0-SNAPSHOT") + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Not packaged yet: " + jar + " (run ./mvnw verify from the top)");
        }
        Path logs = Path.of(System.getProperty("paystream.logs.dir", "target/service-logs"));
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(module + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new ServiceProcess(module, port, log, builder.start());
        } catch (IOException failure) {
            throw new UncheckedIOException("Could not start " + module, failure);
        }
    }

    /**
     * What every service of a test system gets: the database server of {@code database} (each service
     * still names its own database), the test broker, and one gateway token.
     */
    static Map<String, String> commonEnvironment(TestPostgres.Database database) {
        Map<String, String> common = new HashMap<>();
        common.put("PAYSTREAM_DB_HOST", database.host());
        common.put("PAYSTREAM_DB_PORT", Integer.toString(database.port()));
        common.put("PAYSTREAM_DB_USER", database.user());
        common.put("PAYSTREAM_DB_PASSWORD", database.password());
        common.put("PAYSTREAM_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers());
        common.put("PAYSTREAM_GATEWAY_TOKEN", "e2e-gateway-token-" + UUID.randomUUID());
        return common;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until readiness says UP; fails with the end of the service's log if it dies or never gets there. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // Still starting.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(module + " was not ready within " + timeout + ":\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException failure) {
            return "(no log: " + failure.getMessage() + ")";
        }
    }

    /** Kills the JVM the hard way (SIGKILL, as {@code kill -9}): no shutdown hook, no graceful stop. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(module + " did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
