package dev.paystream.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Paystream as a user runs it: {@code ./paystream up} of this checkout, with the packaged services,
 * a Kafka broker, and an embedded PostgreSQL (password authentication) or the database server given.
 * Each platform lives in a directory of its own under {@code target/} that links to the checkout and
 * holds its own {@code .paystream/} (pids, logs, secrets, data), on ports chosen free, so that it never
 * meets a developer's own {@code ./paystream up} or another build's.
 *
 * <p>Starting the five services takes most of an end-to-end run on two cores, so every test class
 * shares one platform ({@link Shared}): the first class that asks starts it, the end of the run stops it.
 */
final class Platform implements AutoCloseable {

    private static final Duration UP_WITHIN = Duration.ofMinutes(10);
    private static final Duration DOWN_WITHIN = Duration.ofMinutes(3);
    /** Not linked into a platform's directory: its own state, or what is no part of running it. */
    private static final Set<String> NOT_LINKED = Set.of(".paystream", ".git", "target", "services.conf");

    private final Path root;
    private final Map<String, Integer> ports;
    private final Map<String, String> environment;
    private final List<String> upOutputs = new ArrayList<>();
    private boolean stopped;

    private Platform(Path root, Map<String, Integer> ports, Map<String, String> environment) {
        this.root = root;
        this.ports = ports;
        this.environment = environment;
    }

    /**
     * Prepares the directory {@code root} for the services of {@code registry} (lines of
     * services.conf: name, port, database, topics) and chooses free ports for them, Kafka and, unless
     * {@code databaseUrl} names a server, an embedded PostgreSQL. Nothing runs until {@link #up}.
     */
    static Platform prepare(Path root, List<String> registry, String databaseUrl, Map<String, String> extraEnvironment) {
        try {
            if (Files.isRegularFile(root.resolve("paystream"))) {
                // A platform a killed test run left behind: stopped before its state is cleared.
                new Platform(root, Map.of(), cleanEnvironment()).run(DOWN_WITHIN, "down");
            }
            Files.createDirectories(root);
            try (Stream<Path> entries = Files.list(checkout())) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    Path link = root.resolve(entry.getFileName().toString());
                    if (!NOT_LINKED.contains(entry.getFileName().toString()) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, entry);
                    }
                }
            }
            Files.writeString(root.resolve("services.conf"), String.join("\n", registry) + "\n");
            clearState(root.resolve(".paystream"));
        } catch (IOException failure) {
            throw new UncheckedIOException("Could not prepare " + root, failure);
        }

        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, String> environment = cleanEnvironment();
        for (String line : registry) {
            String name = line.trim().split("\\s+")[0];
            ports.put(name, freePort(ports.values()));
            environment.put("PAYSTREAM_" + name.toUpperCase() + "_PORT", Integer.toString(ports.get(name)));
        }
        ports.put("kafka", freePort(ports.values()));
        ports.put("kafka-controller", freePort(ports.values()));
        environment.put("PAYSTREAM_KAFKA_PORT", Integer.toString(ports.get("kafka")));
        environment.put("PAYSTREAM_KAFKA_CONTROLLER_PORT", Integer.toString(ports.get("kafka-controller")));
        if (databaseUrl == null) {
            // Nothing answers there, so ./paystream up starts its embedded PostgreSQL on that port.
            ports.put("postgres", freePort(ports.values()));
            environment.put("PAYSTREAM_DB_URL", "postgresql://postgres@127.0.0.1:" + ports.get("postgres"));
        } else {
            environment.put("PAYSTREAM_DB_URL", databaseUrl);
        }
        // The jars the reactor packaged, started as they are (class-data archives would be written on
        // every stop), with the quick-start flags the tests always used.
        environment.put("PAYSTREAM_SKIP_BUILD", "1");
        environment.put("PAYSTREAM_CDS", "0");
        environment.put("PAYSTREAM_JVM_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError");
        environment.put("PAYSTREAM_START_TIMEOUT", "420");
        environment.putAll(extraEnvironment);
        return new Platform(root, ports, environment);
    }

    static Path checkout() {
        return Path.of(System.getProperty("paystream.services.dir", "..")).toAbsolutePath().normalize();
    }

    /** The service lines of the checkout's services.conf (name, port, database, topics), in start order. */
    static List<String> registry() {
        try {
            return Files.readAllLines(checkout().resolve("services.conf")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** The environment of this JVM without anything that would configure Paystream differently. */
    private static Map<String, String> cleanEnvironment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.keySet().removeIf(name -> name.startsWith("PAYSTREAM_"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        return environment;
    }

    /** Removes what an earlier run left in {@code .paystream/}, except the fetched Kafka and PostgreSQL runtimes. */
    private static void clearState(Path state) throws IOException {
        if (!Files.isDirectory(state)) {
            return;
        }
        Set<Path> kept = Set.of(state.resolve("lib"), state.resolve("postgres").resolve("work"));
        try (Stream<Path> paths = Files.walk(state)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                boolean keep = path.equals(state) || kept.stream().anyMatch(k -> path.startsWith(k) || k.startsWith(path));
                if (!keep) {
                    Files.delete(path);
                }
            }
        }
    }

    /**
     * A free port that is none of {@code taken}: the kernel may hand out a port it just handed out, once
     * its socket is closed (chaos/run, 2026-12-01: payment- and webhook-service were both given 37713;
     * webhook-service could not start, and the readiness check, answered by payment-service, hid it).
     */
    static int freePort(java.util.Collection<Integer> taken) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = freePort();
            if (!taken.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port apart from " + taken);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Uses the Kafka and PostgreSQL runtimes {@code other} fetched (into .paystream/lib) instead of fetching them again. */
    Platform sharingRuntimesOf(Platform other) {
        Path libraries = state().resolve("lib");
        try {
            if (!Files.exists(libraries, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(state());
                Files.createSymbolicLink(libraries, other.state().resolve("lib"));
            }
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        return this;
    }

    /** {@code ./paystream up} with {@code arguments}: starts what is not running and waits until all of it is ready. */
    Platform up(String... arguments) {
        List<String> command = new ArrayList<>(List.of("up"));
        Collections.addAll(command, arguments);
        String printed = run(UP_WITHIN, command.toArray(String[]::new));
        synchronized (upOutputs) {
            upOutputs.add(printed);
        }
        return this;
    }

    /** What each {@code up} of this platform printed, in order (a test that restarts a service runs up again). */
    List<String> upOutputs() {
        synchronized (upOutputs) {
            return List.copyOf(upOutputs);
        }
    }

    /** {@code ./paystream down}. */
    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            run(DOWN_WITHIN, "down");
        }
    }

    /** Runs {@code ./paystream} with {@code arguments}; its output goes to {@code target/<platform>.<command>.log}. */
    String run(Duration timeout, String... arguments) {
        Path output = root.resolveSibling(root.getFileName() + "." + arguments[0] + ".log");
        List<String> command = new ArrayList<>(List.of(root.resolve("paystream").toString()));
        Collections.addAll(command, arguments);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("./paystream " + String.join(" ", arguments) + " did not finish within " + timeout
                        + ":\n" + Files.readString(output) + serviceLogTails());
            }
            String printed = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("./paystream " + String.join(" ", arguments) + " exited with " + process.exitValue()
                        + ":\n" + printed + serviceLogTails());
            }
            return printed;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running ./paystream", interrupted);
        }
    }

    private String serviceLogTails() {
        StringBuilder tails = new StringBuilder();
        Path logs = state().resolve("logs");
        try (Stream<Path> files = Files.isDirectory(logs) ? Files.list(logs) : Stream.empty()) {
            for (Path log : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                tails.append("\n----- ").append(log.getFileName()).append(" (last 30 lines) -----\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (IOException | UncheckedIOException unreadable) {
            tails.append("\n(logs unreadable: ").append(unreadable.getMessage()).append(')');
        }
        return tails.toString();
    }

    /** Kills a running service the hard way (SIGKILL, as {@code kill -9}): no shutdown hook, no graceful stop. */
    void kill(String service) throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid(service + "-service"))
                .orElseThrow(() -> new IllegalStateException(service + " is not running"));
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** The pid {@code ./paystream} recorded for a component: a module ({@code payment-service}), kafka or postgres. */
    long pid(String component) {
        try {
            return Long.parseLong(Files.readString(state().resolve("pids").resolve(component + ".pid")).trim());
        } catch (IOException failure) {
            throw new UncheckedIOException("No pid recorded for " + component, failure);
        }
    }

    Path state() {
        return root.resolve(".paystream");
    }

    int port(String component) {
        Integer port = ports.get(component);
        if (port == null) {
            throw new IllegalArgumentException("No port for " + component + " (known: " + ports.keySet() + ")");
        }
        return port;
    }

    String url(String service) {
        return "http://127.0.0.1:" + port(service);
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + port("kafka");
    }

    /** A JDBC connection to {@code database} on the platform's PostgreSQL, as the services log in to it. */
    java.sql.Connection connectToDatabase(String database) throws java.sql.SQLException {
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("postgresql://([^:@/]+)(?::([^@/]*))?@([^:/]+):(\\d+)")
                .matcher(environment.get("PAYSTREAM_DB_URL"));
        if (!url.find()) {
            throw new IllegalStateException("Unexpected PAYSTREAM_DB_URL " + environment.get("PAYSTREAM_DB_URL"));
        }
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", url.group(1));
        Path generated = state().resolve("db.password");
        try {
            // The embedded PostgreSQL takes only the password ./paystream up generated for it.
            String password = url.group(2) != null ? url.group(2) : Files.isRegularFile(generated) ? Files.readString(generated).trim() : null;
            if (password != null) {
                login.setProperty("password", password);
            }
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + url.group(3) + ":" + url.group(4) + "/" + database, login);
    }

    /** The operator's key, generated by {@code ./paystream up} into {@code .paystream/admin.key}. */
    String adminKey() {
        try {
            return Files.readString(state().resolve("admin.key")).trim();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    GatewayClient client() {
        return new GatewayClient(url("gateway"), adminKey());
    }

    /**
     * Gives a test class the shared platform, as a parameter of its {@code @BeforeAll} method: started
     * by the first class that asks (a start that failed is not tried again), stopped with
     * {@code ./paystream down} when the run ends.
     */
    static final class Shared implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Platform.class);
        private static RuntimeException startFailure;

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Platform.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            synchronized (Shared.class) {
                if (startFailure != null) {
                    throw new IllegalStateException("The shared platform did not start (see the first test class's failure)", startFailure);
                }
                try {
                    return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Platform.class, key -> startShared(), Platform.class);
                } catch (RuntimeException failure) {
                    startFailure = failure;
                    throw failure;
                }
            }
        }

        private static Platform startShared() {
            Path target = Path.of(System.getProperty("paystream.build.dir", "target")).toAbsolutePath();
            Map<String, String> environment = new HashMap<>();
            // For WebhooksEndToEndTest: a retry every second, many of them, and short leases, so that
            // what a killed webhook-service held is taken again soon after its restart.
            environment.put("PAYSTREAM_WEBHOOK_RETRY_SCHEDULE", String.join(",", Collections.nCopies(60, "1s")));
            environment.put("PAYSTREAM_WEBHOOKS_ATTEMPT_TIMEOUT", "2s");
            environment.put("PAYSTREAM_WEBHOOKS_LEASE", "5s");
            // The lease must outlast the attempt timeout plus the longest wait in an endpoint's line plus 2 s.
            environment.put("PAYSTREAM_WEBHOOKS_ENDPOINT_MAX_WAIT", "1s");
            // The tests check what the platform does, not how fast: on a machine shared with other builds
            // a service's first requests (no JIT yet) can take longer than the gateway's usual 5 s.
            for (String service : List.of("CUSTOMER", "PAYMENT", "LEDGER", "WEBHOOK")) {
                environment.put("PAYSTREAM_" + service + "_TIMEOUT_MS", "30000");
            }
            // up's warm-up (issue 19) runs the same requests for as long as it is given: a few seconds
            // take every path WarmUpEndToEndTest checks, and spare every run the default 20 s.
            environment.put("PAYSTREAM_WARMUP_SECONDS", "4");
            Platform platform = prepare(target.resolve("e2e-platform"), registry(), null, environment);
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "paystream-down"));
            long started = System.nanoTime();
            try {
                platform.up();
            } catch (RuntimeException failure) {
                platform.close();
                throw failure;
            }
            System.out.printf("The shared platform started in %d s (./paystream up, %s)%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), platform.root);
            return platform;
        }
    }
}
