package dev.paystream.webhook.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    private final SecretSealer sealer = new SecretSealer(SecretSealer.newKey());

    @Test
    void aSealedSecretOpensForItsEndpointAndContainsNoPlainText() {
        byte[] sealed = sealer.seal("we_1", SECRET);

        assertThat(sealer.open("we_1", sealed)).isEqualTo(SECRET);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET).doesNotContain("whsec_");
        assertThat(sealed).hasSize(1 + 12 + SECRET.length() + 16);
    }

    @Test
    void sealingTheSameSecretTwiceGivesDifferentBytes() {
        assertThat(sealer.seal("we_1", SECRET)).isNotEqualTo(sealer.seal("we_1", SECRET));
    }

    @Test
    void aSealedSecretDoesNotOpenForAnotherEndpointByAnotherKeyOrOnceAltered() {
        byte[] sealed = sealer.seal("we_1", SECRET);

        assertThatThrownBy(() -> sealer.open("we_2", sealed)).isInstanceOf(SecretSealer.NotOpened.class).hasMessageContaining("we_2");
        assertThatThrownBy(() -> new SecretSealer(SecretSealer.newKey()).open("we_1", sealed)).isInstanceOf(SecretSealer.NotOpened.class);
        byte[] altered = sealed.clone();
        altered[20] ^= 1;
        assertThatThrownBy(() -> sealer.open("we_1", altered)).isInstanceOf(SecretSealer.NotOpened.class);
        assertThatThrownBy(() -> sealer.open("we_1", new byte[5])).isInstanceOf(SecretSealer.NotOpened.class);
    }

    @Test
    void aConfiguredKeyMustBeTheBase64OfThirtyTwoBytes() {
        assertThat(SecretSealer.parseKey(Base64.getEncoder().encodeToString(new byte[32]))).hasSize(32);
        assertThatThrownBy(() -> SecretSealer.parseKey(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("PAYSTREAM_WEBHOOK_SECRET_KEY").hasMessageContaining("not of 16");
        assertThatThrownBy(() -> SecretSealer.parseKey("not base64!")).hasMessageContaining("not base64");
    }
}
