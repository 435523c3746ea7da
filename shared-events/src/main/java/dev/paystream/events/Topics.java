package dev.paystream.events;

/** Topic names of CONTRACT §11. A topic name carries its major version: a breaking change is a new topic. */
public final class Topics {

    /** Payment and payout lifecycle events, keyed by payment id (or payout id). */
    public static final String PAYMENTS = "paystream.payments.v1";
    public static final String CUSTOMERS = "paystream.customers.v1";
    public static final String INVOICES = "paystream.invoices.v1";
    /** Settlement batches ({@code settlement.completed}), keyed by settlement id. */
    public static final String SETTLEMENTS = "paystream.settlements.v1";

    public static final java.util.List<String> ALL = java.util.List.of(PAYMENTS, CUSTOMERS, INVOICES, SETTLEMENTS);

    private Topics() {
    }
}
