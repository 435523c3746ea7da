package dev.paystream.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.paystream.events.v1.CustomerCreatedV1;
import dev.paystream.events.v1.CustomerUpdatedV1;
import dev.paystream.events.v1.InvoiceCreatedV1;
import dev.paystream.events.v1.InvoicePaidV1;
import dev.paystream.events.v1.InvoicePaymentAppliedV1;
import dev.paystream.events.v1.InvoicePaymentReversedV1;
import dev.paystream.events.v1.InvoiceReopenedV1;
import dev.paystream.events.v1.InvoiceUpdatedV1;
import dev.paystream.events.v1.InvoiceVoidedV1;
import dev.paystream.events.v1.PaymentAuthorizedV1;
import dev.paystream.events.v1.PaymentCanceledV1;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentDeclinedV1;
import dev.paystream.events.v1.PaymentFailedV1;
import dev.paystream.events.v1.PaymentProcessingV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.events.v1.PaymentSettledV1;
import dev.paystream.events.v1.PayoutCreatedV1;
import dev.paystream.events.v1.PayoutFailedV1;
import dev.paystream.events.v1.PayoutPaidV1;
import dev.paystream.events.v1.SettlementCompletedV1;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every golden sample is valid against its type's JSON Schema and survives a round trip through
 * its record unchanged: the records, the schemas and the samples say the same thing.
 */
class ContractSamplesTest {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of(EventTypes.PAYMENT_AUTHORIZED, PaymentAuthorizedV1.class),
                Arguments.of(EventTypes.PAYMENT_CAPTURED, PaymentCapturedV1.class),
                Arguments.of(EventTypes.PAYMENT_DECLINED, PaymentDeclinedV1.class),
                Arguments.of(EventTypes.PAYMENT_CANCELED, PaymentCanceledV1.class),
                Arguments.of(EventTypes.PAYMENT_REFUNDED, PaymentRefundedV1.class),
                Arguments.of(EventTypes.PAYMENT_FAILED, PaymentFailedV1.class),
                Arguments.of(EventTypes.PAYMENT_PROCESSING, PaymentProcessingV1.class),
                Arguments.of(EventTypes.PAYMENT_SETTLED, PaymentSettledV1.class),
                Arguments.of(EventTypes.PAYOUT_CREATED, PayoutCreatedV1.class),
                Arguments.of(EventTypes.PAYOUT_PAID, PayoutPaidV1.class),
                Arguments.of(EventTypes.PAYOUT_FAILED, PayoutFailedV1.class),
                Arguments.of(EventTypes.SETTLEMENT_COMPLETED, SettlementCompletedV1.class),
                Arguments.of(EventTypes.CUSTOMER_CREATED, CustomerCreatedV1.class),
                Arguments.of(EventTypes.CUSTOMER_UPDATED, CustomerUpdatedV1.class),
                Arguments.of(EventTypes.INVOICE_CREATED, InvoiceCreatedV1.class),
                Arguments.of(EventTypes.INVOICE_UPDATED, InvoiceUpdatedV1.class),
                Arguments.of(EventTypes.INVOICE_PAYMENT_APPLIED, InvoicePaymentAppliedV1.class),
                Arguments.of(EventTypes.INVOICE_PAYMENT_REVERSED, InvoicePaymentReversedV1.class),
                Arguments.of(EventTypes.INVOICE_PAID, InvoicePaidV1.class),
                Arguments.of(EventTypes.INVOICE_REOPENED, InvoiceReopenedV1.class),
                Arguments.of(EventTypes.INVOICE_VOIDED, InvoiceVoidedV1.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleSurvivesRoundTripThroughItsRecord(String type, Class<?> dataType) {
        JsonNode sample = MAPPER.readTree(resource("samples/v1/" + type + ".json"));
        JavaType envelopeType = MAPPER.getTypeFactory().constructParametricType(EventEnvelope.class, dataType);

        EventEnvelope<?> envelope = MAPPER.readValue(sample.toString(), envelopeType);
        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(envelope));

        assertThat(envelope.type()).isEqualTo(type);
        assertThat(envelope.data()).isInstanceOf(dataType);
        assertThat(written).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleIsValidAgainstItsSchema(String type, Class<?> ignored) throws IOException {
        Set<ValidationMessage> errors = schema(type).validate(new ObjectMapper().readTree(resource("samples/v1/" + type + ".json")));

        assertThat(errors).isEmpty();
    }

    @Test
    void schemaRejectsAnEventCarryingACardNumber() throws IOException {
        String withCardNumber = new String(resource("samples/v1/payment.captured.json").readAllBytes())
                .replace("\"last4\": \"4242\"", "\"last4\": \"4242\", \"number\": \"4242424242424242\"");

        Set<ValidationMessage> errors = schema(EventTypes.PAYMENT_CAPTURED).validate(new ObjectMapper().readTree(withCardNumber));

        assertThat(errors).isNotEmpty();
    }

    @Test
    void schemaRejectsAFractionalAmount() throws IOException {
        String fractional = new String(resource("samples/v1/payment.captured.json").readAllBytes())
                .replaceFirst("\"amount\": 5000", "\"amount\": 50.5");

        Set<ValidationMessage> errors = schema(EventTypes.PAYMENT_CAPTURED).validate(new ObjectMapper().readTree(fractional));

        assertThat(errors).extracting(ValidationMessage::getMessage).anyMatch(message -> message.contains("amount"));
    }

    @Test
    void schemaRejectsAnInvoiceWhosePaymentsExceedItsAmount() throws IOException {
        String overpaid = new String(resource("samples/v1/invoice.paid.json").readAllBytes())
                .replace("\"amount_due\": 0", "\"amount_due\": -500");

        Set<ValidationMessage> errors = schema(EventTypes.INVOICE_PAID).validate(new ObjectMapper().readTree(overpaid));

        assertThat(errors).extracting(ValidationMessage::getMessage).anyMatch(message -> message.contains("amount_due"));
    }

    @Test
    void schemaRejectsACustomerUpdateNamingAFieldACustomerDoesNotHave() throws IOException {
        String unknownField = new String(resource("samples/v1/customer.updated.json").readAllBytes())
                .replace("\"metadata\"\n", "\"password\"\n");

        Set<ValidationMessage> errors = schema(EventTypes.CUSTOMER_UPDATED).validate(new ObjectMapper().readTree(unknownField));

        assertThat(unknownField).contains("\"password\"");
        assertThat(errors).isNotEmpty();
    }

    @Test
    void schemaRejectsAFailedPayoutWithoutItsFailureCode() throws IOException {
        String withoutCode = new String(resource("samples/v1/payout.failed.json").readAllBytes())
                .replace("\"failure_code\": \"account_closed\",\n    \"payout\"", "\"payout\"");

        Set<ValidationMessage> errors = schema(EventTypes.PAYOUT_FAILED).validate(new ObjectMapper().readTree(withoutCode));

        assertThat(withoutCode).doesNotContain("\"failure_code\": \"account_closed\",\n    \"payout\"");
        assertThat(errors).extracting(ValidationMessage::getMessage).anyMatch(message -> message.contains("failure_code"));
    }

    @Test
    void schemaRejectsASettlementWithAnotherKindOfId() throws IOException {
        String paymentId = new String(resource("samples/v1/settlement.completed.json").readAllBytes())
                .replace("\"id\": \"st_9e1a3c5e7b9d2f4a\"", "\"id\": \"pay_9e1a3c5e7b9d2f4a\"");

        Set<ValidationMessage> errors = schema(EventTypes.SETTLEMENT_COMPLETED).validate(new ObjectMapper().readTree(paymentId));

        assertThat(paymentId).contains("pay_9e1a3c5e7b9d2f4a");
        assertThat(errors).isNotEmpty();
    }

    private static JsonSchema schema(String type) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://paystream.dev/schemas/", "classpath:schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
        return factory.getSchema(SchemaLocation.of("https://paystream.dev/schemas/v1/" + type + ".json"), config);
    }

    private static InputStream resource(String path) {
        InputStream stream = ContractSamplesTest.class.getClassLoader().getResourceAsStream(path);
        if (stream == null) {
            throw new UncheckedIOException(new IOException("missing resource " + path));
        }
        return stream;
    }
}
