package dev.paystream.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.testsupport.TestPostgres;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.Parameter;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The append's fence on a real PostgreSQL: a write made for an idempotent request records its effect
 * on the key in the same statement, and writes nothing at all once the key is no longer its claim.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppendStatementIntegrationTest {

    private DatabaseClient database;

    @BeforeAll
    void migrate() {
        TestPostgres.Database db = TestPostgres.createDatabase("appendstatement");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/platform").load().migrate();
        ConnectionFactory connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(db.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, db.user())
                .option(ConnectionFactoryOptions.PASSWORD, db.password())
                .build());
        database = DatabaseClient.create(connections);
        database.sql("CREATE TABLE things (id TEXT PRIMARY KEY)").then().block();
        database.sql("CREATE TABLE kinds (id TEXT PRIMARY KEY, n BIGINT, i INT, b BOOLEAN, at TIMESTAMPTZ, doc JSONB, note TEXT, day DATE)")
                .then().block();
    }

    @Test
    void theWriteRecordsItsEffectOnItsKeyAndAnythingElseUnderThatKeyWritesNothing() {
        String key = UUID.randomUUID().toString();
        claim(key, "token-a");

        assertThat(append("thing-1", new IdempotentRequest("mer_1", key, "token-a", null)).execute().block()).isEqualTo(1);
        assertThat(effectOf(key)).isEqualTo("thing-1");

        // The same claim again (a retried command) finds an effect recorded already: nothing more is written.
        assertThatThrownBy(() -> append("thing-2", new IdempotentRequest("mer_1", key, "token-a", null)).execute().block())
                .isInstanceOf(IdempotencyClaimLost.class);
        assertThat(exists("thing-2")).isFalse();
    }

    @Test
    void aRequestWhoseKeyWasTakenOverWritesNothingAtAll() {
        String key = UUID.randomUUID().toString();
        claim(key, "token-of-the-takeover");

        assertThatThrownBy(() -> append("stalled-thing", new IdempotentRequest("mer_1", key, "token-of-the-stalled-request", null))
                .execute().block()).isInstanceOf(IdempotencyClaimLost.class);
        assertThat(exists("stalled-thing")).isFalse();
        assertThat(effectOf(key)).isNull();
    }

    @Test
    void aUniqueKeyThatRefusesARowIsAConcurrentAppendAndWritesNothing() {
        append("first-writer", null).execute().block();

        assertThatThrownBy(() -> append("first-writer", null).execute().block()).isInstanceOf(ConcurrentAppend.class);
    }

    @Test
    void manyRowsOfEveryKindOfValueAreWrittenAsTheyWere() {
        Instant at = Instant.parse("2026-11-30T20:15:00.123456Z");
        String awkward = "quote \" backslash \\ comma , brace { } null NULL unicode é";
        TableRows rows = TableRows.into("kinds", "id", "n", "i", "b", "at", "doc", "note");
        for (int index = 0; index < 1_500; index++) {
            rows.row("kind-" + index, (long) index * 1_000_000_000L, index, index % 2 == 0, at.plusSeconds(index),
                    Json.of("{\"text\":\"" + awkward.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"n\":" + index + "}"),
                    index % 3 == 0 ? Parameter.empty(String.class) : awkward);
        }

        assertThat(new AppendStatement(database, "kinds").rows("kinds", rows).execute().block()).isEqualTo(1_500);

        var read = database.sql("SELECT n, i, b, at, doc->>'text' AS text, (doc->>'n')::INT AS dn, note FROM kinds WHERE id = 'kind-1234'")
                .map(row -> List.of(row.get("n", Long.class), row.get("i", Integer.class), row.get("b", Boolean.class),
                        row.get("at", OffsetDateTime.class).toInstant(), row.get("text", String.class), row.get("dn", Integer.class),
                        row.get("note", String.class)))
                .one().block();
        assertThat(read).containsExactly(1_234_000_000_000L, 1234, true, at.plusSeconds(1234), awkward, 1234, awkward);
        assertThat(database.sql("SELECT count(*) AS n FROM kinds WHERE id LIKE 'kind-%' AND note IS NULL").map(row -> row.get("n", Long.class))
                .one().block()).isEqualTo(500);
    }

    @Test
    void rowsWithAValueThatHasNoArrayTypeAreWrittenToo() {
        TableRows rows = TableRows.into("kinds", "id", "day")
                .row("day-1", LocalDate.of(2026, 12, 31))
                .row("day-2", LocalDate.of(2027, 1, 1));

        assertThat(new AppendStatement(database, "kinds").rows("kinds", rows).execute().block()).isEqualTo(2);
        assertThat(database.sql("SELECT day FROM kinds WHERE id = 'day-2'").map(row -> row.get("day", LocalDate.class)).one().block())
                .isEqualTo(LocalDate.of(2027, 1, 1));
    }

    private AppendStatement append(String thing, IdempotentRequest request) {
        AppendStatement append = new AppendStatement(database, "things").rows("things", TableRows.into("things", "id").row(thing));
        return request == null ? append : append.answering(request, thing);
    }

    private void claim(String key, String token) {
        database.sql("INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_fingerprint, claim_token) VALUES ('mer_1', :key, 'f', :token)")
                .bind("key", key).bind("token", token).then().block();
    }

    private String effectOf(String key) {
        return database.sql("SELECT effect FROM idempotency_keys WHERE merchant_id = 'mer_1' AND idempotency_key = :key").bind("key", key)
                .map(row -> java.util.Optional.ofNullable(row.get("effect", String.class))).one().block().orElse(null);
    }

    private boolean exists(String thing) {
        return database.sql("SELECT count(*) AS n FROM things WHERE id = :id").bind("id", thing).map(row -> row.get("n", Long.class)).one().block() > 0;
    }
}
