package dev.paystream.webhook.support;

import dev.paystream.testsupport.TestPostgres;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.core.DatabaseClient;

/** A fresh webhook-service database of a test's own, migrated, for tests that must not share the service's. */
public final class WebhookDatabases {

    private WebhookDatabases() {
    }

    /** A new database named after {@code prefix}, with the platform's and webhook-service's migrations applied. */
    public static DatabaseClient migrated(String prefix) {
        TestPostgres.Database created = TestPostgres.createDatabase(prefix);
        Flyway.configure().dataSource(created.jdbcUrl(), created.user(), created.password())
                .locations("classpath:db/platform", "classpath:db/migration/webhook").load().migrate();
        return DatabaseClient.create(ConnectionFactories.get(ConnectionFactoryOptions.parse(created.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, created.user())
                .option(ConnectionFactoryOptions.PASSWORD, created.password())
                .build()));
    }
}
