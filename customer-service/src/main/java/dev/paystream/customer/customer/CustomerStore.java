package dev.paystream.customer.customer;

import dev.paystream.platform.outbox.OutboxMessage;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.ConcurrentAppend;
import dev.paystream.platform.store.TableRows;
import dev.paystream.platform.web.PageRequest;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code customers} table. Each write is one {@link AppendStatement}: the customer's row and the
 * outbox row of the event that announces it, so a customer that can be read is sure to be published
 * and an event is never published for a change that did not commit.
 */
public final class CustomerStore {

    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() { };

    /** Thrown when the merchant already has a customer with the id. */
    static final class CustomerExists extends RuntimeException {
        CustomerExists(Throwable cause) {
            super("the merchant already has a customer with this id", cause);
        }
    }

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final OutboxWriter outbox;
    private final CustomerEvents events;
    private final JsonMapper jsonMapper;

    public CustomerStore(DatabaseClient database, TransactionalOperator transactions, OutboxWriter outbox, JsonMapper jsonMapper) {
        this.database = database;
        this.transactions = transactions;
        this.outbox = outbox;
        this.events = new CustomerEvents(jsonMapper);
        this.jsonMapper = jsonMapper;
    }

    /** Inserts a new customer with its {@code customer.created}; fails with {@link CustomerExists} when the id is taken. */
    Mono<Customer> create(Customer customer) {
        return write(customer, row(customer), events.created(customer))
                .onErrorMap(ConcurrentAppend.class, CustomerExists::new)
                .doOnSuccess(written -> outbox.rowsWritten())
                .thenReturn(customer);
    }

    /**
     * Applies {@code update} to the customer under a row lock, so that concurrent updates of one
     * customer follow each other and each event gets the next sequence; writes nothing (and
     * announces nothing) when nothing changes. Empty when the merchant has no such customer.
     */
    Mono<Customer> update(String merchantId, String customerId, Function<Customer, CustomerUpdate.Applied> update) {
        return transactions.transactional(
                        database.sql("SELECT *, metadata::text AS metadata_json FROM customers"
                                        + " WHERE merchant_id = :merchantId AND customer_id = :customerId FOR UPDATE")
                                .bind("merchantId", merchantId)
                                .bind("customerId", customerId)
                                .map(this::toCustomer)
                                .one()
                                .flatMap(current -> {
                                    CustomerUpdate.Applied applied = update.apply(current);
                                    if (applied.updatedFields().isEmpty()) {
                                        return Mono.just(new Written(applied.customer(), false));
                                    }
                                    Customer after = applied.customer();
                                    // The row lock makes the version check a safeguard: a second writer would have waited.
                                    TableRows row = row(after).onConflict("""
                                            ON CONFLICT (merchant_id, customer_id) DO UPDATE SET email = EXCLUDED.email,
                                                name = EXCLUDED.name, metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at,
                                                version = EXCLUDED.version
                                            WHERE customers.version = EXCLUDED.version - 1""");
                                    return write(after, row, events.updated(after, applied.updatedFields()))
                                            .thenReturn(new Written(after, true));
                                }))
                .doOnNext(written -> {
                    if (written.announced()) {
                        outbox.rowsWritten();
                    }
                })
                .map(Written::customer);
    }

    private record Written(Customer customer, boolean announced) {
    }

    private Mono<Long> write(Customer customer, TableRows row, OutboxMessage event) {
        return new AppendStatement(database, "customer")
                .rows("customer", row)
                .rows("outbox", outbox.rows(List.of(event)))
                .execute();
    }

    private TableRows row(Customer customer) {
        return TableRows.into("customers", "merchant_id", "customer_id", "email", "name", "metadata", "created_at", "updated_at",
                        "version")
                .row(customer.merchantId(), customer.customerId(), customer.email(), Parameter.fromOrEmpty(customer.name(), String.class),
                        Json.of(jsonMapper.writeValueAsString(customer.metadata())), customer.createdAt(), customer.updatedAt(),
                        customer.version());
    }

    Mono<Customer> find(String merchantId, String customerId) {
        return database.sql("SELECT *, metadata::text AS metadata_json FROM customers WHERE merchant_id = :merchantId AND customer_id = :customerId")
                .bind("merchantId", merchantId)
                .bind("customerId", customerId)
                .map(this::toCustomer)
                .one();
    }

    /** Whether the merchant has a customer with this id. */
    public Mono<Boolean> exists(String merchantId, String customerId) {
        return database.sql("SELECT 1 FROM customers WHERE merchant_id = :merchantId AND customer_id = :customerId")
                .bind("merchantId", merchantId)
                .bind("customerId", customerId)
                .map(row -> Boolean.TRUE)
                .one()
                .defaultIfEmpty(Boolean.FALSE);
    }

    /**
     * The rows of {@code page} ({@link PageRequest#rowsToFetch()} at most), newest first, after its
     * cursor when it has one; {@code email} (when given) matches regardless of case. An unknown cursor gives nothing.
     */
    Flux<Customer> list(String merchantId, String email, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT c.*, c.metadata::text AS metadata_json FROM customers c WHERE c.merchant_id = :merchantId");
        if (email != null) {
            sql.append(" AND lower(c.email) = lower(:email)");
        }
        if (page.startingAfter() != null) {
            sql.append(" AND (c.created_at, c.customer_id) < (SELECT a.created_at, a.customer_id FROM customers a"
                    + " WHERE a.merchant_id = :merchantId AND a.customer_id = :cursor)");
        }
        sql.append(" ORDER BY c.created_at DESC, c.customer_id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("merchantId", merchantId).bind("limit", page.rowsToFetch());
        if (email != null) {
            query = query.bind("email", email);
        }
        if (page.startingAfter() != null) {
            query = query.bind("cursor", page.startingAfter());
        }
        return query.map(this::toCustomer).all();
    }

    private Customer toCustomer(Readable row) {
        return new Customer(row.get("merchant_id", String.class), row.get("customer_id", String.class), row.get("email", String.class),
                row.get("name", String.class), jsonMapper.readValue(row.get("metadata_json", String.class), METADATA),
                row.get("created_at", OffsetDateTime.class).toInstant(), row.get("updated_at", OffsetDateTime.class).toInstant(),
                row.get("version", Long.class));
    }
}
