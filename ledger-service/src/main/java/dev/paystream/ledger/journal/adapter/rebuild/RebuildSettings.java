package dev.paystream.ledger.journal.adapter.rebuild;

import dev.paystream.events.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rebuild reads and where it writes: the topics from their beginning, the ledger's database (the
 * live journal in schema {@code public}), the schema of the rebuilt tables, and the live consumer group
 * whose progress it waits for before comparing.
 *
 * @param compare     whether to compare with the live journal (a benchmark on topics of its own does not)
 * @param liveWaitMax how long to wait for the live ledger to consume as far as the rebuild read
 */
public record RebuildSettings(String bootstrapServers, List<String> topics, String jdbcUrl, String user, String password,
                              String schema, String liveGroupId, boolean compare, Duration liveWaitMax) {

    public RebuildSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topics = List.copyOf(topics);
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}") || schema.equals("public")) {
            throw new IllegalArgumentException("the rebuild's schema is a plain lower-case name other than public: " + schema);
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a rebuild reads at least one topic");
        }
    }

    /**
     * From the environment the services use ({@code PAYSTREAM_KAFKA_BOOTSTRAP}, {@code PAYSTREAM_DB_HOST},
     * {@code _PORT}, {@code _USER}, {@code _PASSWORD}, {@code PAYSTREAM_LEDGER_DB}) and the command's options:
     * {@code --schema NAME}, {@code --topics A,B}, {@code --no-compare}, {@code --wait-seconds N}.
     */
    public static RebuildSettings of(Map<String, String> environment, String... args) {
        String host = environment.getOrDefault("PAYSTREAM_DB_HOST", "127.0.0.1");
        String port = environment.getOrDefault("PAYSTREAM_DB_PORT", "5432");
        String database = environment.getOrDefault("PAYSTREAM_LEDGER_DB", "paystream_ledger");
        String schema = "ledger_rebuild";
        List<String> topics = List.of(Topics.PAYMENTS, Topics.SETTLEMENTS);
        boolean compare = true;
        Duration wait = Duration.ofSeconds(60);
        for (int index = 0; index < args.length; index++) {
            switch (args[index]) {
                case "--schema" -> schema = value(args, ++index);
                case "--topics" -> topics = Arrays.stream(value(args, ++index).split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
                case "--no-compare" -> compare = false;
                case "--wait-seconds" -> wait = Duration.ofSeconds(Long.parseLong(value(args, ++index)));
                default -> throw new IllegalArgumentException("unknown option " + args[index]
                        + " (options: --schema NAME, --topics A,B, --no-compare, --wait-seconds N)");
            }
        }
        return new RebuildSettings(environment.getOrDefault("PAYSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092"), topics,
                "jdbc:postgresql://" + host + ":" + port + "/" + database, environment.getOrDefault("PAYSTREAM_DB_USER", "postgres"),
                environment.getOrDefault("PAYSTREAM_DB_PASSWORD", ""), schema, "ledger-service", compare, wait);
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
