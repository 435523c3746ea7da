package dev.paystream.customer.customer;

import dev.paystream.customer.metadata.MetadataPatch;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.RequestFields;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/** Checks of customer requests (CONTRACT §4), each failing with a 422 problem naming the first offending field. */
final class CustomerRequests {

    static final int CUSTOMER_ID_LENGTH_MAX = 255;
    /** RFC 5321 limits a path, hence an address, to 254 characters; a local part to 64. */
    static final int EMAIL_LENGTH_MAX = 254;
    static final int EMAIL_LOCAL_PART_LENGTH_MAX = 64;
    static final int NAME_LENGTH_MAX = 255;

    /**
     * A caller's own id must be usable as a path segment ({@code /v1/customers/{customer_id}}) as it
     * is: letters, digits and the few marks URLs leave alone, and {@code @} so that an email may serve.
     */
    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9._~:@+-]+");
    /**
     * A practical address check, not RFC 5322 in full: a local part without spaces, {@code @} or quotes,
     * and a domain of at least two dot-separated labels (letters, digits, inner hyphens) whose last
     * one, the top-level domain, is at least two letters.
     */
    private static final Pattern EMAIL = Pattern.compile(
            "[^@\\s\"(),:;<>\\[\\\\\\]]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private CustomerRequests() {
    }

    /** The caller's {@code customer_id}, or null when the body has none (one is generated then). */
    static String customerId(String customerId) {
        if (customerId == null) {
            return null;
        }
        RequestFields.identifier("customer_id", customerId, CUSTOMER_ID_LENGTH_MAX);
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw Problem.invalidField("customer_id", "customer_id may hold only letters, digits and . _ ~ : @ + -").toException();
        }
        return customerId;
    }

    /** Whether {@code id} could name a customer at all; one that could not is simply not found. */
    static boolean couldBeCustomerId(String id) {
        return id != null && id.length() <= CUSTOMER_ID_LENGTH_MAX && CUSTOMER_ID.matcher(id).matches();
    }

    static String email(String email) {
        if (email == null) {
            throw Problem.invalidField("email", "email is required").toException();
        }
        RequestFields.identifier("email", email, EMAIL_LENGTH_MAX);
        int at = email.lastIndexOf('@');
        if (!EMAIL.matcher(email).matches() || at > EMAIL_LOCAL_PART_LENGTH_MAX) {
            throw Problem.invalidField("email", "email must be an address such as jane@example.com").toException();
        }
        return email;
    }

    static String name(String name) {
        return RequestFields.text("name", name, NAME_LENGTH_MAX);
    }

    static CreateCustomerRequest create(CreateCustomerRequest request) {
        if (request == null) {
            throw Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required").toException();
        }
        return new CreateCustomerRequest(customerId(request.customerId()), email(request.email()), name(request.name()),
                RequestFields.metadata("metadata", request.metadata(), false));
    }

    static CustomerUpdate update(UpdateCustomerRequest request) {
        if (request == null) {
            throw Problem.of(HttpStatus.BAD_REQUEST, "missing_body", "A JSON request body is required").toException();
        }
        String email = null;
        if (request.emailGiven()) {
            if (request.email() == null) {
                throw Problem.invalidField("email", "email cannot be removed; send a new address").toException();
            }
            email = email(request.email());
        }
        MetadataPatch metadata = request.metadataGiven() ? new MetadataPatch(request.metadata() == null ? null
                : RequestFields.metadata("metadata", request.metadata(), true)) : null;
        return new CustomerUpdate(email, request.nameGiven(), name(request.name()), metadata);
    }

    /** Metadata after a merge may not hold more keys than a request may send (CONTRACT §4). */
    static void checkMergedMetadata(Map<String, String> merged) {
        if (merged.size() > RequestFields.METADATA_KEYS_MAX) {
            throw Problem.invalidField("metadata", "metadata would hold " + merged.size() + " keys; at most "
                    + RequestFields.METADATA_KEYS_MAX + " are allowed").toException();
        }
    }
}
