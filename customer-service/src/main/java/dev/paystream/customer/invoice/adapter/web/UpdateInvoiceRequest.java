package dev.paystream.customer.invoice.adapter.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code PATCH /v1/invoices/{id}}, exactly as sent. A merge patch tells a field set to
 * null (remove it) from a field left out (keep it), which a record cannot: each setter notes that its
 * field was sent. Fields an invoice does not let change ({@code currency}, {@code customer_id}) are
 * unknown here, and refused like every unknown field.
 */
public final class UpdateInvoiceRequest {

    private Long amount;
    private boolean amountGiven;
    private String description;
    private boolean descriptionGiven;
    private String dueDate;
    private boolean dueDateGiven;
    private Map<String, String> metadata;
    private boolean metadataGiven;

    public void setAmount(Long amount) {
        this.amount = amount;
        this.amountGiven = true;
    }

    public void setDescription(String description) {
        this.description = description;
        this.descriptionGiven = true;
    }

    // Named here: the OpenAPI document's introspection does not apply the snake_case naming to a setter-only property.
    @JsonProperty("due_date")
    public void setDueDate(String dueDate) {
        this.dueDate = dueDate;
        this.dueDateGiven = true;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
        this.metadataGiven = true;
    }

    Long amount() {
        return amount;
    }

    boolean amountGiven() {
        return amountGiven;
    }

    String description() {
        return description;
    }

    boolean descriptionGiven() {
        return descriptionGiven;
    }

    String dueDate() {
        return dueDate;
    }

    boolean dueDateGiven() {
        return dueDateGiven;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    boolean metadataGiven() {
        return metadataGiven;
    }
}
