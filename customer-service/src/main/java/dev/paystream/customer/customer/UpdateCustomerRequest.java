package dev.paystream.customer.customer;

import java.util.Map;

/**
 * The body of {@code PATCH /v1/customers/{id}}, exactly as sent. A merge patch tells a field set to
 * null (remove it) from a field left out (keep it), which a record cannot: each setter notes that its
 * field was sent. Unknown fields, {@code customer_id} among them, are refused like everywhere else.
 */
public final class UpdateCustomerRequest {

    private String email;
    private boolean emailGiven;
    private String name;
    private boolean nameGiven;
    private Map<String, String> metadata;
    private boolean metadataGiven;

    public void setEmail(String email) {
        this.email = email;
        this.emailGiven = true;
    }

    public void setName(String name) {
        this.name = name;
        this.nameGiven = true;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
        this.metadataGiven = true;
    }

    String email() {
        return email;
    }

    boolean emailGiven() {
        return emailGiven;
    }

    String name() {
        return name;
    }

    boolean nameGiven() {
        return nameGiven;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    boolean metadataGiven() {
        return metadataGiven;
    }
}
