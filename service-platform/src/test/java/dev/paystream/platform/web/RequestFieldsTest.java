package dev.paystream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {

    @Test
    void aCardNumberInFreeTextAnIdentifierOrMetadataIsRefusedWithoutBeingQuoted() {
        assertRefused(() -> RequestFields.text("description", "card 4242424242424242 please", 500), "description");
        assertRefused(() -> RequestFields.text("description", "4242 4242 4242 4242", 500), "description");
        assertRefused(() -> RequestFields.text("name", "5555-5555-5555-4444", 500), "name");
        assertRefused(() -> RequestFields.text("name", "amex 378282246310005", 500), "name");
        assertRefused(() -> RequestFields.identifier("customer_id", "4000000000000002", 255), "customer_id");
        assertRefused(() -> RequestFields.metadata("metadata", Map.of("card", "6011111111111117"), false), "metadata");
        assertRefused(() -> RequestFields.metadata("metadata", Map.of("4242424242424242", "x"), false), "metadata");
    }

    @Test
    void numbersThatAreNoCardNumbersAreKept() {
        // Too short, failing the Luhn check, or digits of a longer run than any card number.
        assertThat(RequestFields.text("description", "Order #123456789012", 500)).isEqualTo("Order #123456789012");
        assertThat(RequestFields.text("description", "4242424242424241", 500)).isEqualTo("4242424242424241");
        assertThat(RequestFields.text("description", "42424242424242424242424", 500)).isEqualTo("42424242424242424242424");
        assertThat(RequestFields.identifier("customer_id", "unixuser1", 255)).isEqualTo("unixuser1");
        assertThat(RequestFields.text("description", "call 555 1234 - 2026-11-30", 500)).isEqualTo("call 555 1234 - 2026-11-30");
    }

    /** Found by the shared-platform tests: a UUID-based id was refused as holding a card number (its digit groups read as 16 digits). */
    @Test
    void idsThatOnlyContainDigitsPassingTheLuhnCheckAreKept() {
        assertThat(RequestFields.identifier("customer_id", "e2e-12345678-1234-0002-9abc-def012345678", 255))
                .isEqualTo("e2e-12345678-1234-0002-9abc-def012345678");
        assertThat(RequestFields.text("description", "see e2e-12345678-1234-0002-9abc-def012345678", 500))
                .isEqualTo("see e2e-12345678-1234-0002-9abc-def012345678");
        assertThat(RequestFields.identifier("customer_id", "cus_4242424242424242", 255)).isEqualTo("cus_4242424242424242");
        assertThat(RequestFields.metadata("metadata", Map.of("account_4242424242424242", "x"), false)).containsKey("account_4242424242424242");
        assertRefused(() -> RequestFields.identifier("customer_id", "4242 4242 4242 4242", 255), "customer_id");
    }

    /**
     * Found by chaos/run: 3 of 5,838 payments were refused for a random UUID in their metadata, whose middle
     * groups were all digits and whose last group began with digits ("…-4242-4242-4242-4242abcdef01" read
     * as 4-4-4-4); a written card number stands apart from letters and digits around it.
     */
    @Test
    void digitGroupsGluedToLettersOrDigitsAsInAUuidAreNoCardNumber() {
        String uuid = "3a96c5e2-4242-4242-4242-4242abcdef01";
        assertThat(RequestFields.metadata("metadata", Map.of("idempotency_key", uuid), false)).containsEntry("idempotency_key", uuid);
        assertThat(RequestFields.text("description", "order " + uuid, 500)).isEqualTo("order " + uuid);
        assertThat(RequestFields.text("description", "ref a4242424242424242", 500)).isEqualTo("ref a4242424242424242");
        assertThat(RequestFields.text("description", "x-4242-4242-4242-4242", 500)).isEqualTo("x-4242-4242-4242-4242");
        assertThat(RequestFields.redactCardNumbers("key " + uuid)).isEqualTo("key " + uuid);
        // Still refused where a person would write a card number: alone, or after punctuation.
        assertRefused(() -> RequestFields.text("description", "card: 4242-4242-4242-4242.", 500), "description");
        assertRefused(() -> RequestFields.text("description", "(4242424242424242)", 500), "description");
        assertThat(RequestFields.redactCardNumbers("pan=4242424242424242;")).isEqualTo("pan=[card number];");
    }

    private static void assertRefused(Runnable check, String field) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ProblemException.class, refused -> {
            assertThat(refused.problem().status().value()).isEqualTo(422);
            assertThat(refused.problem().param()).isEqualTo(field);
            assertThat(refused.problem().detail()).doesNotContainPattern("\\d{4}");
        });
    }
}
