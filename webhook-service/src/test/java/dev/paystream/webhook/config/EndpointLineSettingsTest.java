package dev.paystream.webhook.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** An endpoint's line is cut to fit half of the worker's slots; the operator is told so, not left to find out under load. */
@ExtendWith(OutputCaptureExtension.class)
class EndpointLineSettingsTest {

    @Test
    void aSmallerConcurrencyThatShortensTheLinesIsSaidAtStartWithTheFigureInEffect(CapturedOutput output) {
        WebhookConfiguration.newEndpointGates(64, 16, 50f, 20, 10, Duration.ofSeconds(30), 48, Duration.ofSeconds(10));

        assertThat(output.getAll())
                .contains("paystream.webhooks.waiting-per-endpoint=48 is cut to 16")
                .contains("paystream.webhooks.concurrency=64");
    }

    @Test
    void aConcurrencyWithRoomForTheWholeLineSaysNothing(CapturedOutput output) {
        WebhookConfiguration.newEndpointGates(128, 16, 50f, 20, 10, Duration.ofSeconds(30), 48, Duration.ofSeconds(10));

        assertThat(output.getAll()).doesNotContain("waiting-per-endpoint");
    }
}
