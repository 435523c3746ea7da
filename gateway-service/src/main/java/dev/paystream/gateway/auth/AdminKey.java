package dev.paystream.gateway.auth;

import dev.paystream.gateway.merchant.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's admin key (CONTRACT §2). It comes from {@code PAYSTREAM_ADMIN_KEY}; when that is
 * unset, as in local mode, the key written earlier to the admin key file is used, and when there is
 * none a new one is generated and written there, readable by its owner only. Only its hash is kept
 * in memory, and neither the key nor its hash is ever logged.
 *
 * <p>A key shorter than {@value #MIN_LENGTH} characters stops the gateway's start: the admin key opens
 * every merchant's administration, and a short one could be guessed. Generated keys have 52.
 */
public final class AdminKey {

    private static final Logger log = LoggerFactory.getLogger(AdminKey.class);
    static final int MIN_LENGTH = 32;

    private final byte[] sha256;

    private AdminKey(String key) {
        this.sha256 = Secrets.sha256(key);
    }

    /** The configured key, else the one in {@code file}, else a new one written to {@code file}. */
    public static AdminKey resolve(String configured, Path file) {
        Path absolute = file.toAbsolutePath();
        if (configured != null && !configured.isBlank()) {
            return of(configured.strip(), "PAYSTREAM_ADMIN_KEY (paystream.admin-key)",
                    "or leave it unset to have one generated into " + absolute);
        }
        try {
            if (Files.isRegularFile(absolute)) {
                String stored = Files.readString(absolute, StandardCharsets.UTF_8).strip();
                if (!stored.isEmpty()) {
                    AdminKey key = of(stored, "The admin key in " + absolute, "or delete the file to have one generated");
                    log.info("Using the admin key stored in {} (PAYSTREAM_ADMIN_KEY is not set)", absolute);
                    return key;
                }
            }
            String generated = Secrets.newAdminKey();
            write(absolute, generated);
            log.info("PAYSTREAM_ADMIN_KEY is not set: generated an admin key and wrote it to {}", absolute);
            return of(generated, "A generated admin key", "");
        } catch (IOException failure) {
            throw new UncheckedIOException("Could not read or write the admin key file " + absolute
                    + "; set PAYSTREAM_ADMIN_KEY or paystream.admin-key-file", failure);
        }
    }

    /** The message names where the key came from and its length, never the key. */
    private static AdminKey of(String key, String source, String alternative) {
        if (key.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(source + " must be at least " + MIN_LENGTH + " characters long, but has "
                    + key.length() + ": use a random one such as sk_admin_$(openssl rand -hex 24)"
                    + (alternative.isEmpty() ? "" : ", " + alternative));
        }
        return new AdminKey(key);
    }

    /** Compares in constant time, so response timing tells nothing about how much of a guess was right. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(sha256, Secrets.sha256(presented));
    }

    private static void write(Path file, String key) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException raced) {
            // Another gateway started at the same instant; whichever move wins, both read it back next time.
        }
        Files.writeString(temporary, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
