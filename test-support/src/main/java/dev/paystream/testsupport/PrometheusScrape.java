package dev.paystream.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One read of a service's {@code /actuator/prometheus}, as Prometheus would scrape it, for tests that
 * assert a series is there with the right labels (and only low-cardinality ones) after an action.
 */
public final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** A sample: the series' name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples;

    private PrometheusScrape(String text) {
        this.text = text;
        List<Sample> parsed = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            parsed.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        this.samples = List.copyOf(parsed);
    }

    /** Reads {@code /actuator/prometheus} of the service {@code web} talks to. */
    public static PrometheusScrape of(WebTestClient web) {
        byte[] body = web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    public static PrometheusScrape parse(String text) {
        return new PrometheusScrape(text);
    }

    /** The samples of series {@code name} whose labels include {@code labels}. */
    public List<Sample> series(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** The sum of the values of series {@code name} whose labels include {@code labels}; 0 when there is none. */
    public double sum(String name, Map<String, String> labels) {
        return series(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** Every sample of series {@code name}. */
    public List<Sample> series(String name) {
        return series(name, Map.of());
    }

    /** The whole text, to assert what it must never contain (ids, keys, card numbers). */
    public String text() {
        return text;
    }
}
