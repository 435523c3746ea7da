package dev.paystream.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyTest {

    @TempDir
    Path directory;

    @Test
    void usesTheConfiguredKeyAndWritesNoFile() {
        Path file = directory.resolve(".paystream/admin.key");
        AdminKey key = AdminKey.resolve("sk_admin_configured", file);
        assertThat(key.matches("sk_admin_configured")).isTrue();
        assertThat(key.matches("sk_admin_configure")).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void generatesAKeyOnlyItsOwnerCanReadWhenNoneIsConfigured() throws IOException {
        Path file = directory.resolve(".paystream/admin.key");
        AdminKey key = AdminKey.resolve("", file);

        String written = Files.readString(file).strip();
        assertThat(written).startsWith("sk_admin_").hasSizeGreaterThanOrEqualTo(9 + 43);
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
