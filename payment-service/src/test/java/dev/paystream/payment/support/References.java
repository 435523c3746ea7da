package dev.paystream.payment.support;

import dev.paystream.events.Topics;
import dev.paystream.testsupport.TestKafka;
import java.time.Instant;
import java.util.UUID;

/**
 * Customers and invoices as customer-service publishes them (CONTRACT §11 envelopes on
 * {@code paystream.customers.v1} and {@code paystream.invoices.v1}), for tests of payments that name
 * them: payment-service learns of them only from these topics.
 */
public final class References {

    private References() {
    }

    /** Publishes {@code customer.created} for {@code customerId} of {@code merchantId}. */
    public static void customerCreated(String merchantId, String customerId) {
        String eventId = newEventId();
        TestKafka.publish(Topics.CUSTOMERS, customerId, eventId, "customer.created", """
                {"id":"%s","type":"customer.created","version":1,"aggregate_id":"%s","sequence":1,"merchant_id":"%s","occurred_at":"%s",
                 "data":{"customer":{"id":"%s","customer_id":"%s","email":"a@b.co","name":null,"metadata":{},
                 "created_at":"%s","updated_at":"%s"}}}""".formatted(eventId, customerId, merchantId, Instant.now(), customerId, customerId,
                Instant.now(), Instant.now()));
    }

    /** Publishes an invoice event ({@code type}, its {@code sequence}) carrying the invoice in {@code status}. */
    public static void invoice(String type, long sequence, String merchantId, String invoiceId, String customerId, long amount, String currency,
                               String status) {
        String eventId = newEventId();
        TestKafka.publish(Topics.INVOICES, invoiceId, eventId, type, """
                {"id":"%s","type":"%s","version":1,"aggregate_id":"%s","sequence":%d,"merchant_id":"%s","occurred_at":"%s",
                 "data":{"invoice":{"id":"%s","status":"%s","customer_id":"%s","amount":%d,"amount_paid":0,"amount_due":%d,
                 "currency":"%s","created_at":"%s","updated_at":"%s"}}}""".formatted(eventId, type, invoiceId, sequence, merchantId,
                Instant.now(), invoiceId, status, customerId, amount, amount, currency, Instant.now(), Instant.now()));
    }

    /** Publishes {@code invoice.created} (sequence 1) of an open invoice. */
    public static void invoiceCreated(String merchantId, String invoiceId, String customerId, long amount, String currency) {
        invoice("invoice.created", 1, merchantId, invoiceId, customerId, amount, currency, "open");
    }

    public static String newInvoiceId() {
        return "inv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }
}
