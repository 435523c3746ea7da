package dev.paystream.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (the {@code prometheus} binary of Debian's package, which {@code .ci/run} installs)
 * scraping a running platform with the scrape configuration operators use for {@code ./paystream up},
 * {@code deploy/prometheus/prometheus-local.yml} and its alert rules: each target moved to the port the
 * platform gave its service, and scraped every {@link #SCRAPE_INTERVAL} instead of 15 s, so that a
 * counter has the two samples a {@code rate()} needs seconds after it first appears, not half a minute.
 */
final class LocalPrometheus implements AutoCloseable {

    static final String SCRAPE_INTERVAL = "5s";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TARGET = Pattern.compile("(targets: \\[\"127\\.0\\.0\\.1:)(\\d+)(\"\\])");
    private static final Pattern SERVICE_LABEL = Pattern.compile("service: ([a-z-]+)-service");

    private final Process process;
    private final Path directory;
    private final String url;
    private final Thread stopOnExit;

    private LocalPrometheus(Process process, Path directory, String url) {
        this.process = process;
        this.directory = directory;
        this.url = url;
        // A test run killed before its @AfterAll must not leave a Prometheus behind.
        this.stopOnExit = new Thread(process::destroyForcibly, "prometheus-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** The {@code prometheus} executable on the PATH, if there is one. */
    static Optional<Path> binary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** For {@code @EnabledIf}: a test that needs Prometheus is skipped, not failed, where it is not installed. */
    static boolean installed() {
        return binary().isPresent();
    }

    /** Starts Prometheus on a free port, scraping every service of {@code platform}, and waits until it is ready. */
    static LocalPrometheus scraping(Platform platform) throws IOException {
        Path directory = Files.createTempDirectory("paystream-e2e-prometheus");
        Path configuration = directory.resolve("prometheus.yml");
        Path deploy = Platform.checkout().resolve("deploy").resolve("prometheus");
        Files.writeString(configuration, configurationFor(platform, Files.readString(deploy.resolve("prometheus-local.yml"))));
        Files.copy(deploy.resolve("alerts.yml"), directory.resolve("alerts.yml"));

        int port = Platform.freePort();
        Process process = new ProcessBuilder(binary().orElseThrow().toString(),
                "--config.file=" + configuration, "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        LocalPrometheus prometheus = new LocalPrometheus(process, directory, "http://127.0.0.1:" + port);
        try {
            await("Prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("prometheus exited: " + Files.readString(directory.resolve("prometheus.log")));
                        }
                        return prometheus.status("/-/ready") == 200;
                    });
        } catch (RuntimeException failure) {
            prometheus.close();
            throw failure;
        }
        return prometheus;
    }

    /**
     * prometheus-local.yml for this platform: every {@code 127.0.0.1:<port>} target followed by its
     * {@code service: <name>-service} label gets the platform's port of that service; a target of a
     * service the platform does not run is an error (the file and services.conf disagree).
     */
    static String configurationFor(Platform platform, String localConfiguration) {
        List<String> lines = new ArrayList<>(localConfiguration.lines().toList());
        int moved = 0;
        for (int i = 0; i + 1 < lines.size(); i++) {
            Matcher target = TARGET.matcher(lines.get(i));
            Matcher service = SERVICE_LABEL.matcher(lines.get(i + 1));
            if (target.find() && service.find()) {
                lines.set(i, target.replaceFirst("$1" + platform.port(service.group(1)) + "$3"));
                moved++;
            }
        }
        if (moved != Platform.registry().size()) {
            throw new IllegalStateException("prometheus-local.yml has " + moved + " targets with a service label, services.conf "
                    + Platform.registry().size() + " services");
        }
        return String.join("\n", lines).replaceAll("(scrape_interval|evaluation_interval): 15s", "$1: " + SCRAPE_INTERVAL) + "\n";
    }

    String url() {
        return url;
    }

    /** The scrape targets Prometheus has, each as {@code <service> <health>}. */
    List<String> targets() throws IOException, InterruptedException {
        JsonNode targets = get("/api/v1/targets?state=active").get("data").get("activeTargets");
        List<String> described = new ArrayList<>();
        targets.forEach(target -> described.add(target.get("labels").get("service").asString() + " " + target.get("health").asString()));
        return described;
    }

    /** An instant query through the HTTP API, as Grafana sends it: Prometheus' whole answer ({@code status}, {@code data} or {@code error}). */
    JsonNode query(String expression) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops Prometheus (SIGTERM, then SIGKILL after 20 s) and deletes its data. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // The hook runs anyway.
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException failure) {
            throw new UncheckedIOException("Could not delete " + directory, failure);
        }
    }
}
