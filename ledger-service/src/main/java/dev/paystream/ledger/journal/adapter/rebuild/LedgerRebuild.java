package dev.paystream.ledger.journal.adapter.rebuild;

import dev.paystream.ledger.journal.application.Posting;
import dev.paystream.ledger.journal.application.PostingRules;
import dev.paystream.ledger.journal.domain.EntrySubject;
import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalEntryId;
import dev.paystream.ledger.journal.domain.JournalLine;
import dev.paystream.platform.consumer.EnvelopeReader;
import dev.paystream.platform.consumer.IncomingEvent;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The operator's rebuild ({@code ./paystream ledger rebuild}, issue 15 item 5): replays every topic from
 * its beginning through the ledger's own posting rules into fresh tables (schema {@code ledger_rebuild}
 * by default) and reports whether the balances equal the live journal's.
 *
 * <p>It reads as the live consumer does ({@link PostingRules#v1()}, each event id once; the record values
 * through {@link PostingFieldsReader}, which gives what the platform's {@link EnvelopeReader} gives for the
 * members the rules read, streaming, and hands it anything else), but loads like a bulk load: no consumer group (every partition from offset 0 to
 * its end when the rebuild started), rows streamed with {@code COPY} into tables with the live tables'
 * columns and CHECK constraints but without indexes or triggers, then the keys, the foreign key and the
 * balance of every entry checked in one pass each. That is what makes a replay fast enough to be run
 * on a whole history (docs/benchmarks.md).
 *
 * <p>The comparison waits until the live consumer group has committed as far as the rebuild read, then
 * compares debits and credits per merchant, currency and account, counting only live entries of events
 * the rebuild read (the live ledger may have gone on meanwhile), and which events have an entry on one
 * side only. Memory: the ids of the events read (about 100 bytes each) are held for deduplication.
 */
public final class LedgerRebuild {

    /** What the rebuild did and found. */
    public record Report(long records, long events, long duplicates, long posted, long noMoneyMoved, long refused, long unreadable,
                         long lines, Duration replay, Duration check, long cpuNanos, long decodeCpuNanos, long databaseCpuNanos,
                         Comparison comparison) {

        /** Compared, the live ledger had caught up, and every balance and every event's entry is the same on both sides. */
        public boolean balancesEqual() {
            return comparison != null && comparison.liveCaughtUp() && comparison.differences().isEmpty()
                    && comparison.entriesOnlyLive() == 0 && comparison.entriesOnlyRebuilt() == 0;
        }

        public double eventsPerSecond() {
            return records / Math.max(replay.toNanos() / 1e9, 1e-9);
        }
    }

    /** The rebuilt journal against the live one. */
    public record Comparison(boolean liveCaughtUp, long accounts, List<Difference> differences, long entriesOnlyLive,
                             long entriesOnlyRebuilt) {
    }

    /** One account whose totals differ (a side with no lines shows zeros). */
    public record Difference(String merchantId, String currency, String account, long liveDebits, long liveCredits,
                             long rebuiltDebits, long rebuiltCredits) {
    }

    /** At most this many differences are listed; the count of accounts compared says how many there were in all. */
    private static final int DIFFERENCES_LISTED_MAX = 50;
    /** Rows are sent to PostgreSQL in chunks of about this many bytes. */
    private static final int COPY_CHUNK_BYTES = 1 << 20;
    /** Records are decoded on this many threads, in chunks of this many. */
    private static final int DECODERS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final int CHUNK_RECORDS = 1000;

    private final RebuildSettings settings;
    private final PostingRules rules = PostingRules.v1();
    private final PostingFieldsReader reader = new PostingFieldsReader();

    public LedgerRebuild(RebuildSettings settings) {
        this.settings = settings;
    }

    /** {@code ./paystream ledger rebuild [options]}: exit 0 when the balances are equal, 1 when they are not, 2 when it could not tell. */
    public static void main(String[] args) {
        try {
            RebuildSettings settings = RebuildSettings.of(System.getenv(), args);
            Report report = new LedgerRebuild(settings).run();
            System.out.print(describe(settings, report));
            System.exit(report.comparison() == null || report.balancesEqual() ? 0 : 1);
        } catch (Exception failed) {
            System.err.println("ledger rebuild failed: " + failed);
            System.exit(2);
        }
    }

    public Report run() throws SQLException, InterruptedException {
        String schema = settings.schema();
        try (Connection control = connect()) {
            createTables(control, schema);
            long cpuBefore = cpuNanos();
            long started = System.nanoTime();
            Replay replay = replay(schema);
            long replayed = System.nanoTime();
            check(control, schema);
            long checked = System.nanoTime();
            long cpu = cpuNanos() - cpuBefore;
            Comparison comparison = settings.compare() ? compare(control, schema, replay.endOffsets()) : null;
            return new Report(replay.records, replay.events, replay.duplicates, replay.posted, replay.noMoneyMoved, replay.refused,
                    replay.unreadable, replay.lines, Duration.ofNanos(replayed - started), Duration.ofNanos(checked - replayed), cpu,
                    replay.decodeCpuNanos, replay.databaseCpuNanos, comparison);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
    }

    /** Fresh tables with the live tables' columns, defaults and CHECK constraints, nothing else yet. */
    private static void createTables(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE UNLOGGED TABLE " + schema + ".journal_entries (LIKE public.journal_entries INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            statement.execute("CREATE UNLOGGED TABLE " + schema + ".journal_lines (LIKE public.journal_lines INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            // Every event the rebuild read, once: what the live side is compared on, and the rebuild's own claims.
            statement.execute("CREATE UNLOGGED TABLE " + schema + ".replayed_events (event_id TEXT NOT NULL, event_type TEXT NOT NULL, "
                    + "outcome TEXT NOT NULL CHECK (outcome IN ('posted', 'no_money_moved', 'refused')))");
        }
    }

    private static final class Replay {
        long records;
        long events;
        long duplicates;
        long posted;
        long noMoneyMoved;
        long refused;
        long unreadable;
        long lines;
        long databaseCpuNanos = -1;
        long decodeCpuNanos = -1;
        Map<TopicPartition, Long> endOffsets;

        Map<TopicPartition, Long> endOffsets() {
            return endOffsets;
        }
    }

    private Replay replay(String schema) throws SQLException, InterruptedException {
        Replay replay = new Replay();
        Set<String> seen = new HashSet<>(1 << 16);
        List<Thread> decoderThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService decoders = Executors.newFixedThreadPool(DECODERS, runnable -> {
            Thread thread = new Thread(runnable, "ledger-rebuild-decoder");
            thread.setDaemon(true);
            decoderThreads.add(thread);
            return thread;
        });
        try (Connection entriesConnection = connect(); Connection linesConnection = connect(); Connection eventsConnection = connect();
             KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            CopyStream entries = new CopyStream(entriesConnection, "COPY " + schema
                    + ".journal_entries (id, event_id, payment_id, payout_id, settlement_id, merchant_id, created_at) FROM STDIN");
            CopyStream lines = new CopyStream(linesConnection, "COPY " + schema
                    + ".journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit) FROM STDIN");
            CopyStream events = new CopyStream(eventsConnection, "COPY " + schema + ".replayed_events (event_id, event_type, outcome) FROM STDIN");
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : settings.topics()) {
                for (PartitionInfo partition : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, partition.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            replay.endOffsets = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Set<TopicPartition> reading = new HashSet<>();
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition, Duration.ofSeconds(30)) < replay.endOffsets.get(partition)) {
                    reading.add(partition);
                } else {
                    consumer.pause(List.of(partition));
                }
            }
            // Records are decoded and posted by the rules in chunks on DECODERS threads; their rows are taken
            // in the order the records were read, so that the first delivery of an event is the one kept.
            Deque<Future<List<Decoded>>> decoding = new ArrayDeque<>();
            List<ConsumerRecord<byte[], byte[]>> chunk = new ArrayList<>(CHUNK_RECORDS);
            while (!reading.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < replay.endOffsets.get(new TopicPartition(record.topic(), record.partition()))) {
                        replay.records++;
                        chunk.add(record);
                        if (chunk.size() == CHUNK_RECORDS) {
                            List<ConsumerRecord<byte[], byte[]>> full = chunk;
                            decoding.add(decoders.submit(() -> decode(full)));
                            chunk = new ArrayList<>(CHUNK_RECORDS);
                        }
                    }
                }
                while (decoding.size() > 2 * DECODERS) {
                    take(decoding.poll(), seen, replay, entries, lines, events);
                }
                // By position, not by the last record's offset: a partition may end in offsets that hold no record.
                for (TopicPartition partition : List.copyOf(reading)) {
                    if (consumer.position(partition, Duration.ofSeconds(30)) >= replay.endOffsets.get(partition)) {
                        reading.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> last = chunk;
            decoding.add(decoders.submit(() -> decode(last)));
            while (!decoding.isEmpty()) {
                take(decoding.poll(), seen, replay, entries, lines, events);
            }
            entries.end();
            lines.end();
            events.end();
            replay.databaseCpuNanos = backendCpuNanos(entriesConnection, linesConnection, eventsConnection);
            replay.decodeCpuNanos = threadsCpuNanos(decoderThreads);
        } finally {
            decoders.shutdownNow();
        }
        return replay;
    }

    /** What one record gives: nothing (unreadable), or its event with its outcome and, when posted, its rows in COPY text. */
    private record Decoded(String eventId, String eventType, String outcome, String entryRow, String lineRows, int lineCount) {
    }

    private List<Decoded> decode(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Decoded> decoded = new ArrayList<>(records.size());
        StringBuilder row = new StringBuilder(256);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            decoded.add(decode(record, row));
        }
        return decoded;
    }

    private Decoded decode(ConsumerRecord<byte[], byte[]> record, StringBuilder row) {
        if (record.value() == null) {
            return null;
        }
        String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (!(reader.read(record.value(), origin) instanceof EnvelopeReader.Readable readable)) {
            // The live consumer parks it too; it moves nothing on either side.
            return null;
        }
        IncomingEvent event = readable.event();
        Posting posting = rules.post(event);
        if (posting instanceof Posting.Lines posted) {
            JournalEntry entry = new JournalEntry(entryId(record), event.id(), rules.subjectOf(event), event.merchantId(),
                    event.occurredAt(), posted.lines());
            EntrySubject subject = entry.subject();
            row.setLength(0);
            appendRow(row, entry.id().value(), entry.eventId(), subject.idOf(EntrySubject.Kind.PAYMENT), subject.idOf(EntrySubject.Kind.PAYOUT),
                    subject.idOf(EntrySubject.Kind.SETTLEMENT), entry.merchantId(), entry.createdAt().toString());
            String entryRow = row.toString();
            row.setLength(0);
            List<JournalLine> entryLines = entry.lines();
            for (int index = 0; index < entryLines.size(); index++) {
                JournalLine line = entryLines.get(index);
                appendRow(row, entry.id().value(), Integer.toString(index + 1), entry.merchantId(), line.account().code(),
                        line.currency().getCurrencyCode(), Long.toString(line.debit()), Long.toString(line.credit()));
            }
            return new Decoded(event.id(), event.type(), "posted", entryRow, row.toString(), entryLines.size());
        }
        return new Decoded(event.id(), event.type(), posting instanceof Posting.Rejected ? "refused" : "no_money_moved", null, null, 0);
    }

    /**
     * The rebuilt entry's id, from the position of the record it was read from (each position holds one
     * record, and only the first delivery of an event is kept): unique, and the same on every rebuild.
     */
    private JournalEntryId entryId(ConsumerRecord<byte[], byte[]> record) {
        int topic = settings.topics().indexOf(record.topic());
        return new JournalEntryId(String.format("je_%02x%06x%016x", topic, record.partition(), record.offset()));
    }

    private static void take(Future<List<Decoded>> chunk, Set<String> seen, Replay replay, CopyStream entries, CopyStream lines,
                             CopyStream events) throws SQLException, InterruptedException {
        List<Decoded> decoded;
        try {
            decoded = chunk.get();
        } catch (ExecutionException failed) {
            throw new IllegalStateException("decoding records failed", failed.getCause());
        }
        for (Decoded record : decoded) {
            if (record == null) {
                replay.unreadable++;
                continue;
            }
            if (!seen.add(record.eventId())) {
                replay.duplicates++;
                continue;
            }
            replay.events++;
            switch (record.outcome()) {
                case "posted" -> {
                    replay.posted++;
                    replay.lines += record.lineCount();
                    entries.raw(record.entryRow());
                    lines.raw(record.lineRows());
                }
                case "refused" -> replay.refused++;
                default -> replay.noMoneyMoved++;
            }
            events.row(record.eventId(), record.eventType(), record.outcome());
        }
    }

    /** The database's checks, after the load: keys, each line's entry and merchant, and every entry's balance. */
    private static void check(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + schema + ".journal_entries ADD PRIMARY KEY (id), ADD UNIQUE (event_id), ADD UNIQUE (id, merchant_id)");
            statement.execute("ALTER TABLE " + schema + ".journal_lines ADD PRIMARY KEY (entry_id, line_no), "
                    + "ADD FOREIGN KEY (entry_id, merchant_id) REFERENCES " + schema + ".journal_entries (id, merchant_id)");
            statement.execute("ALTER TABLE " + schema + ".replayed_events ADD PRIMARY KEY (event_id)");
            long unbalanced = count(statement, "SELECT count(*) FROM (SELECT e.id FROM " + schema + ".journal_entries e LEFT JOIN (SELECT entry_id, "
                    + "sum(lines) AS lines, bool_and(balanced) AS balanced FROM (SELECT entry_id, count(*) AS lines, sum(debit) = sum(credit) AS balanced FROM "
                    + schema + ".journal_lines GROUP BY entry_id, currency) AS per_currency GROUP BY entry_id) AS l ON l.entry_id = e.id "
                    + "WHERE coalesce(l.lines, 0) < 2 OR NOT l.balanced) AS refused");
            if (unbalanced > 0) {
                throw new IllegalStateException(unbalanced + " rebuilt entries have fewer than two lines or do not balance in a currency");
            }
            statement.execute("ANALYZE " + schema + ".journal_entries, " + schema + ".journal_lines, " + schema + ".replayed_events");
        }
    }

    private Comparison compare(Connection connection, String schema, Map<TopicPartition, Long> endOffsets) throws SQLException,
            InterruptedException {
        boolean caughtUp = awaitLiveConsumer(endOffsets);
        String live = "SELECT l.merchant_id, l.currency, l.account, sum(l.debit)::bigint AS debits, sum(l.credit)::bigint AS credits "
                + "FROM public.journal_lines l JOIN public.journal_entries e ON e.id = l.entry_id "
                + "WHERE e.event_id IN (SELECT event_id FROM " + schema + ".replayed_events) GROUP BY 1, 2, 3";
        String rebuilt = "SELECT merchant_id, currency, account, sum(debit)::bigint AS debits, sum(credit)::bigint AS credits FROM "
                + schema + ".journal_lines GROUP BY 1, 2, 3";
        List<Difference> differences = new ArrayList<>();
        long accounts = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(live.merchant_id, rebuilt.merchant_id) AS merchant_id, "
                     + "coalesce(live.currency, rebuilt.currency) AS currency, coalesce(live.account, rebuilt.account) AS account, "
                     + "coalesce(live.debits, 0) AS live_debits, coalesce(live.credits, 0) AS live_credits, "
                     + "coalesce(rebuilt.debits, 0) AS rebuilt_debits, coalesce(rebuilt.credits, 0) AS rebuilt_credits "
                     + "FROM (" + live + ") AS live FULL JOIN (" + rebuilt + ") AS rebuilt "
                     + "ON live.merchant_id = rebuilt.merchant_id AND live.currency = rebuilt.currency AND live.account = rebuilt.account "
                     + "ORDER BY 1, 2, 3")) {
            while (rows.next()) {
                accounts++;
                Difference row = new Difference(rows.getString("merchant_id"), rows.getString("currency"), rows.getString("account"),
                        rows.getLong("live_debits"), rows.getLong("live_credits"), rows.getLong("rebuilt_debits"), rows.getLong("rebuilt_credits"));
                if ((row.liveDebits() != row.rebuiltDebits() || row.liveCredits() != row.rebuiltCredits())
                        && differences.size() < DIFFERENCES_LISTED_MAX) {
                    differences.add(row);
                }
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FILTER (WHERE r.event_id IS NULL) AS only_live, "
                     + "count(*) FILTER (WHERE l.event_id IS NULL) AS only_rebuilt FROM (SELECT event_id FROM public.journal_entries "
                     + "WHERE event_id IN (SELECT event_id FROM " + schema + ".replayed_events)) AS l FULL JOIN " + schema
                     + ".journal_entries r ON r.event_id = l.event_id WHERE l.event_id IS NULL OR r.event_id IS NULL")) {
            rows.next();
            return new Comparison(caughtUp, accounts, differences, rows.getLong("only_live"), rows.getLong("only_rebuilt"));
        }
    }

    /** Whether the live consumer group committed up to the rebuild's end offsets within the wait allowed. */
    private boolean awaitLiveConsumer(Map<TopicPartition, Long> endOffsets) throws InterruptedException {
        long deadline = System.nanoTime() + settings.liveWaitMax().toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed;
                try {
                    committed = admin.listConsumerGroupOffsets(settings.liveGroupId()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException | java.util.concurrent.TimeoutException failed) {
                    committed = Map.of();
                }
                boolean caughtUp = true;
                for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
                    OffsetAndMetadata offset = committed.get(end.getKey());
                    if (end.getValue() > 0 && (offset == null || offset.offset() < end.getValue())) {
                        caughtUp = false;
                        break;
                    }
                }
                if (caughtUp) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(200);
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "ledger-rebuild",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Bytes: the poll thread only fetches; the decoder threads parse the bytes (PostingFieldsReader) without making a String first.
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20));
    }

    /**
     * The CPU time of the PostgreSQL backends of {@code connections}, read from /proc when the server runs on
     * this machine (a benchmark's figure); -1 when it cannot be read.
     */
    private static long backendCpuNanos(Connection... connections) {
        long total = 0;
        for (Connection connection : connections) {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
                rows.next();
                String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + rows.getInt(1) + "/stat")).split(" ");
                // Fields 14 and 15: user and system time in clock ticks, 100 per second on Linux.
                total += (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
            } catch (SQLException | java.io.IOException | RuntimeException notLocal) {
                return -1;
            }
        }
        return total;
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** CPU time of this JVM: the rebuild's own threads, plus Kafka's client threads. */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** The CPU time of {@code threads} (the decoders: reading records and applying the rules), -1 when the JVM does not measure it. */
    private static long threadsCpuNanos(List<Thread> threads) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return -1;
        }
        long sum = 0;
        for (Thread thread : threads) {
            sum += Math.max(0, mx.getThreadCpuTime(thread.getId()));
        }
        return sum;
    }

    /** The report as the command prints it. */
    public static String describe(RebuildSettings settings, Report report) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("Replayed %s from the beginning into schema %s:%n", String.join(", ", settings.topics()), settings.schema()));
        text.append(String.format("  %,d records in %.1f s: %,.0f records/s (CPU: this JVM %.1f s, of which decoding %s; PostgreSQL's COPY backends %s)%n",
                report.records(), report.replay().toNanos() / 1e9, report.eventsPerSecond(), report.cpuNanos() / 1e9,
                report.decodeCpuNanos() < 0 ? "not measured" : String.format("%.1f s (%,.0f records per decoding CPU-second)",
                        report.decodeCpuNanos() / 1e9, report.records() / Math.max(report.decodeCpuNanos() / 1e9, 1e-9)),
                report.databaseCpuNanos() < 0 ? "not local" : String.format("%.1f s", report.databaseCpuNanos() / 1e9)));
        text.append(String.format("  %,d events: %,d posted (%,d lines), %,d moved no money, %,d refused; %,d records delivered again, %,d unreadable%n",
                report.events(), report.posted(), report.lines(), report.noMoneyMoved(), report.refused(), report.duplicates(), report.unreadable()));
        text.append(String.format("  keys, lines and the balance of every entry checked by PostgreSQL in %.1f s%n", report.check().toNanos() / 1e9));
        Comparison comparison = report.comparison();
        if (comparison == null) {
            text.append("Not compared with the live ledger (--no-compare).\n");
            return text.toString();
        }
        if (!comparison.liveCaughtUp()) {
            text.append(String.format("The live ledger (group %s) had not consumed as far as the rebuild read within %d s: "
                    + "compared anyway, run again once it has.%n", settings.liveGroupId(), settings.liveWaitMax().toSeconds()));
        }
        text.append(String.format("Compared %,d accounts (merchant, currency, account) with the live journal; events posted only live: %,d, "
                + "only in the rebuild: %,d%n", comparison.accounts(), comparison.entriesOnlyLive(), comparison.entriesOnlyRebuilt()));
        for (Difference difference : comparison.differences()) {
            text.append(String.format("  differs: %s %s %s live debits %,d credits %,d, rebuilt debits %,d credits %,d%n",
                    difference.merchantId(), difference.currency(), difference.account(), difference.liveDebits(), difference.liveCredits(),
                    difference.rebuiltDebits(), difference.rebuiltCredits()));
        }
        text.append(report.balancesEqual() ? "Balances equal: yes\n" : "Balances equal: NO\n");
        return text.toString();
    }

    /** Appends one row in COPY's text format: tab-separated, \\N for null; backslash, tab, line feed and carriage return escaped. */
    private static void appendRow(StringBuilder text, String... columns) {
        for (int index = 0; index < columns.length; index++) {
            if (index > 0) {
                text.append('\t');
            }
            String value = columns[index];
            if (value == null) {
                text.append("\\N");
                continue;
            }
            for (int at = 0; at < value.length(); at++) {
                char c = value.charAt(at);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(c);
                }
            }
        }
        text.append('\n');
    }

    /** One COPY ... FROM STDIN in text format, fed in chunks while the rows are made. */
    private static final class CopyStream {
        private final CopyIn copy;
        private final StringBuilder chunk = new StringBuilder(COPY_CHUNK_BYTES + 4096);

        CopyStream(Connection connection, String sql) throws SQLException {
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        }

        void row(String... columns) throws SQLException {
            appendRow(chunk, columns);
            flushWhenFull();
        }

        /** Rows already in COPY's text format, each ending in a line feed. */
        void raw(String rows) throws SQLException {
            chunk.append(rows);
            flushWhenFull();
        }

        private void flushWhenFull() throws SQLException {
            if (chunk.length() >= COPY_CHUNK_BYTES) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
        }

        void end() throws SQLException {
            flush();
            copy.endCopy();
        }
    }
}
