package dev.paystream.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.testsupport.TestPostgres;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.util.UUID;
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
