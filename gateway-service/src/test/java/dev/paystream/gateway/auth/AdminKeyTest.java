package dev.paystream.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyTest {

    @TempDir
    Path directory;

    private static final String CONFIGURED_KEY = "sk_admin_configured_0123456789abcdef";

    @Test
    void usesTheConfiguredKeyAndWritesNoFile() {
        Path file = directory.resolve(".paystream/admin.key");
        AdminKey key = AdminKey.resolve(CONFIGURED_KEY, file);
        assertThat(key.matches(CONFIGURED_KEY)).isTrue();
        assertThat(key.matches(CONFIGURED_KEY.substring(1))).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void refusesAConfiguredKeyShorterThan32CharactersSayingWhatToDo() {
        Path file = directory.resolve("admin.key");
        String shortKey = "x".repeat(31);

        assertThatThrownBy(() -> AdminKey.resolve(shortKey, file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PAYSTREAM_ADMIN_KEY")
                .hasMessageContaining("at least 32 characters")
                .hasMessageContaining("31")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> AdminKey.resolve("any", file)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AdminKey.resolve("x".repeat(32), file).matches("x".repeat(32))).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    void refusesAStoredKeyShorterThan32CharactersNamingTheFile() throws IOException {
        Path file = directory.resolve("admin.key");
        Files.writeString(file, "sk_admin_short\n");

        assertThatThrownBy(() -> AdminKey.resolve(null, file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("at least 32 characters")
                .hasMessageNotContaining("sk_admin_short");
    }

    @Test
    void generatesAKeyOnlyItsOwnerCanReadWhenNoneIsConfigured() throws IOException {
        Path file = directory.resolve(".paystream/admin.key");
        AdminKey key = AdminKey.resolve("", file);

        String written = Files.readString(file).strip();
        assertThat(written).startsWith("sk_admin_").hasSizeGreaterThanOrEqualTo(9 + 43).hasSizeGreaterThanOrEqualTo(AdminKey.MIN_LENGTH);
        assertThat(key.matches(written)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void keepsTheGeneratedKeyAcrossRestarts() throws IOException {
        Path file = directory.resolve("admin.key");
        AdminKey.resolve(null, file);
        String first = Files.readString(file).strip();

        AdminKey again = AdminKey.resolve(null, file);

        assertThat(again.matches(first)).isTrue();
        assertThat(Files.readString(file).strip()).isEqualTo(first);
    }
}
