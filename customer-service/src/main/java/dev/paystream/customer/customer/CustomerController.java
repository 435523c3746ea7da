package dev.paystream.customer.customer;

import dev.paystream.platform.web.CursorPages;
import dev.paystream.events.v1.CustomerV1;
import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.web.Page;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemResponse;
import dev.paystream.platform.web.RequestFields;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * CONTRACT §4: customers, each merchant's own. A customer's id is the caller's {@code customer_id} or
 * a generated {@code cus_...}; it is unique per merchant, so two merchants may both have
 * {@code unixuser1}, and another merchant's customer is never found.
 */
@Tag(name = "Customers", description = "CONTRACT §4")
@RestController
@RequestMapping(path = "/v1/customers", produces = "application/json")
public class CustomerController {

    static final String ID_PREFIX = "cus_";

    private final CustomerStore customers;
    private final Clock clock;

    public CustomerController(CustomerStore customers, Clock clock) {
        this.customers = customers;
        this.clock = clock;
    }

    @Operation(summary = "Create a customer", description = "customer_id is optional (a cus_... id is generated) and unique per merchant. "
            + "Publishes customer.created.")
    @ApiResponse(responseCode = "201", description = "The customer")
    @ProblemResponse(status = 400, description = "malformed_json (also a field named twice) or missing_body")
    @ProblemResponse(status = 409, description = "customer_exists: this merchant already has a customer with this customer_id")
    @ProblemResponse(status = 422, description = "invalid_email, invalid_customer_id, invalid_name, invalid_metadata, unknown_parameter; param names the field")
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<CustomerV1>> create(Caller caller, @RequestBody(required = false) CreateCustomerRequest request) {
        String merchantId = caller.requireMerchant();
        CreateCustomerRequest valid = CustomerRequests.create(request);
        String customerId = valid.customerId() != null ? valid.customerId() : TimeOrderedIds.newId(ID_PREFIX);
        Instant now = now();
        Customer customer = new Customer(merchantId, customerId, valid.email(), valid.name(), valid.metadata(), now, now, 1);
        return customers.create(customer)
                .onErrorMap(CustomerStore.CustomerExists.class, exists -> new Problem(HttpStatus.CONFLICT, "customer_exists",
                        "You already have a customer " + customerId, "customer_id", Map.of(), null).toException())
                .map(created -> ResponseEntity.status(HttpStatus.CREATED).body(created.toContract()));
    }

    @Operation(summary = "Retrieve a customer")
    @ApiResponse(responseCode = "200", description = "The customer")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's customer")
    @GetMapping("/{customerId}")
    public Mono<CustomerV1> get(Caller caller, @PathVariable String customerId) {
        String merchantId = caller.requireMerchant();
        if (!CustomerRequests.couldBeCustomerId(customerId)) {
            return Mono.error(notFound(customerId));
        }
        return customers.find(merchantId, customerId).map(Customer::toContract).switchIfEmpty(Mono.error(() -> notFound(customerId)));
    }

    @Operation(summary = "List customers", description = "Newest first, cursor-paginated with limit (1..100, default 20) and starting_after "
            + "(a customer id). email (when not empty) filters by address, regardless of case.")
    @ApiResponse(responseCode = "200", description = "A page of customers")
    @ProblemResponse(status = 422, description = "invalid_limit, invalid_email, or invalid_starting_after (no customer of this merchant)")
    @GetMapping
    public Mono<Page<CustomerV1>> list(Caller caller,
                                       @RequestParam(name = "email", required = false) String email,
                                       @RequestParam(name = "limit", required = false) String limit,
                                       @RequestParam(name = "starting_after", required = false) String startingAfter) {
        String merchantId = caller.requireMerchant();
        PageRequest page = PageRequest.of(limit, startingAfter);
        String address = email == null || email.isEmpty() ? null : RequestFields.identifier("email", email, CustomerRequests.EMAIL_LENGTH_MAX);
        return CursorPages.of(page, customers.list(merchantId, address, page).map(Customer::toContract),
                cursor -> customers.find(merchantId, cursor));
    }

    @Operation(summary = "Update a customer", description = "A merge patch of email, name and metadata: absent fields stay, name null removes "
            + "the name, metadata keys merge and a key set to null is removed (metadata null removes all). Publishes customer.updated "
            + "when something changed.")
    @ApiResponse(responseCode = "200", description = "The customer")
    @ProblemResponse(status = 400, description = "malformed_json or missing_body")
    @ProblemResponse(status = 404, description = "resource_missing, also for another merchant's customer")
    @ProblemResponse(status = 422, description = "invalid_email, invalid_name, invalid_metadata (also more than 50 keys once merged), "
            + "unknown_parameter (customer_id cannot change); param names the field")
    @PatchMapping(path = "/{customerId}", consumes = "application/json")
    public Mono<CustomerV1> update(Caller caller, @PathVariable String customerId,
                                   @RequestBody(required = false) UpdateCustomerRequest request) {
        String merchantId = caller.requireMerchant();
        CustomerUpdate update = CustomerRequests.update(request);
        if (!CustomerRequests.couldBeCustomerId(customerId)) {
            return Mono.error(notFound(customerId));
        }
        return customers.update(merchantId, customerId, current -> {
                    CustomerUpdate.Applied applied = update.applyTo(current, now());
                    CustomerRequests.checkMergedMetadata(applied.customer().metadata());
                    return applied;
                })
                .map(Customer::toContract)
                .switchIfEmpty(Mono.error(() -> notFound(customerId)));
    }

    /** Timestamps are kept to the millisecond, as PostgreSQL keeps them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static RuntimeException notFound(String customerId) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No customer " + customerId, "customer_id", Map.of(), null).toException();
    }
}
