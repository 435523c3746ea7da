package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code .ci/run} leaves nothing behind (hardening finding 13): when no PostgreSQL or Redis answers
 * where the tests look for them, it starts its own for the run — a throwaway PostgreSQL cluster that
 * takes only a random password (never printed), and a Redis — and stops and deletes both when it
 * exits, whether its command succeeded, failed or was interrupted. The script runs here as CI runs
 * it, on ports where nothing answers, with the servers' programs already installed (it would install
 * missing ones with apt, which a test must not do).
 */
class CiRunScriptTest {

    private static final Duration RUN_WITHIN = Duration.ofMinutes(5);
    private Path temporary;
    private int postgresPort;
    private int redisPort;

    @BeforeEach
    void checkTheServersCanBeStarted() throws IOException {
        assumeTrue(hasPostgresqlServer(), "PostgreSQL's initdb and pg_ctl are installed");
        assumeTrue(onPath("redis-server"), "redis-server is installed");
        // Where the run's servers keep their data; the postgres user (when run as root) passes through it.
        temporary = Files.createTempDirectory("ci-run-test");
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        postgresPort = Platform.freePort();
        redisPort = Platform.freePort(java.util.List.of(postgresPort));
    }

    @AfterEach
    void removeTheTemporaryDirectory() throws IOException {
        if (temporary != null) {
            try (Stream<Path> paths = Files.walk(temporary)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void theServersARunStartedAreStoppedAndDeletedWhenItsCommandFails() throws Exception {
        Path seen = temporary.resolve("seen");
        Process run = ciRun("bash", "-c", "{ exec 3<>/dev/tcp/127.0.0.1/$PAYSTREAM_TEST_PG_PORT && echo postgres; } 2>/dev/null >\"$1\";"
                + " { exec 4<>/dev/tcp/127.0.0.1/$PAYSTREAM_TEST_REDIS_PORT && echo redis; } 2>/dev/null >>\"$1\";"
                + " printf 'password %s\\n' \"$PAYSTREAM_TEST_PG_PASSWORD\" >>\"$1\"; exit 7", "probe", seen.toString());

        assertThat(run.waitFor(RUN_WITHIN.toSeconds(), TimeUnit.SECONDS)).as("finished").isTrue();
        String printed = output();
        assertThat(run.exitValue()).as(printed).isEqualTo(7);
        List<String> probed = Files.readAllLines(seen);
        assertThat(probed).as("what the command found while it ran").startsWith("postgres", "redis");
        String password = probed.get(2).substring("password ".length());
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThat(printed).doesNotContain(password);
        assertNothingIsLeft(printed);
    }

    @Test
    void theServersARunStartedAreStoppedAndDeletedWhenTheRunIsInterrupted() throws Exception {
        Path passwordSeen = temporary.resolve("password");
        Process run = ciRun("bash", "-c", "printf %s \"$PAYSTREAM_TEST_PG_PASSWORD\" >\"$1.new\" && mv \"$1.new\" \"$1\" && exec sleep 600",
                "probe", passwordSeen.toString());
        await().atMost(RUN_WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> Files.exists(passwordSeen) || !run.isAlive());
        assertThat(run.isAlive()).as(output()).isTrue();
        String password = Files.readString(passwordSeen);
        String url = "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
        assertThat(refusedLogin(url, "")).as("a login without the password").isTrue();
        assertThat(refusedLogin(url, password)).as("a login with the password").isFalse();

        // Ctrl-C: SIGINT to the run's process group, as a terminal sends it.
        interruptProcessGroupOf(run.pid());

        assertThat(run.waitFor(RUN_WITHIN.toSeconds(), TimeUnit.SECONDS)).as("finished").isTrue();
        String printed = output();
        assertThat(run.exitValue()).as(printed).isEqualTo(130);
        assertNothingIsLeft(printed);
    }

    private Process ciRun(String... command) throws IOException {
        // SIGINT's default action restored: a build started in the background of a non-interactive shell (nohup
        // ... &) inherits SIGINT ignored, which no shell can trap or undo, and the Ctrl-C below would reach nothing
        // (session 11: the interrupted run's command slept its 600 s out and the test failed after 5 minutes).
        List<String> arguments = new ArrayList<>(List.of("env", "--default-signal=INT", "setsid",
                Platform.checkout().resolve(".ci").resolve("run").toString()));
        arguments.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(arguments).directory(Platform.checkout().toFile()).redirectErrorStream(true)
                .redirectOutput(temporary.resolve("output").toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.keySet().removeIf(name -> name.startsWith("PAYSTREAM_TEST_"));
        environment.put("PAYSTREAM_TEST_PG_PORT", Integer.toString(postgresPort));
        environment.put("PAYSTREAM_TEST_REDIS_PORT", Integer.toString(redisPort));
        environment.put("TMPDIR", temporary.toString());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    private String output() throws IOException {
        return Files.readString(temporary.resolve("output"));
    }

    /** Neither server answers, no process of theirs runs, and the run's directory is gone. */
    private void assertNothingIsLeft(String printed) throws IOException {
        assertThat(printed).contains("stopping the PostgreSQL this run started").contains("stopping the Redis this run started");
        assertThat(answers(postgresPort)).as("PostgreSQL answers on %d", postgresPort).isFalse();
        assertThat(answers(redisPort)).as("Redis answers on %d", redisPort).isFalse();
        try (DirectoryStream<Path> left = Files.newDirectoryStream(temporary, "paystream-ci.*")) {
            assertThat(left).as("the run's directory").isEmpty();
        }
        assertThat(commandLines()).as("processes of the run").noneMatch(line -> line.contains(temporary.toString())
                || line.contains("redis-server 127.0.0.1:" + redisPort));
    }

    private static void interruptProcessGroupOf(long pid) throws IOException, InterruptedException {
        // setsid made the run the leader of a new session and process group, unless it had to fork for it.
        long leader = ProcessHandle.of(pid).flatMap(self -> self.children().findFirst()).filter(child -> isGroupLeader(child.pid()))
                .map(ProcessHandle::pid).orElse(pid);
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + leader).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static boolean isGroupLeader(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]) == pid;
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean refusedLogin(String url, String password) {
        try (Connection ignored = DriverManager.getConnection(url, "postgres", password)) {
            return false;
        } catch (SQLException refused) {
            return true;
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static List<String> commandLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    lines.add(new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
                } catch (IOException gone) {
                    // It ended meanwhile.
                }
            }
        }
        return lines;
    }

    private static boolean hasPostgresqlServer() throws IOException {
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> installed = Files.list(versions)) {
                if (installed.anyMatch(version -> Files.isExecutable(version.resolve("bin/initdb")) && Files.isExecutable(version.resolve("bin/pg_ctl")))) {
                    return true;
                }
            }
        }
        return onPath("initdb") && onPath("pg_ctl");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(directory -> !directory.isEmpty() && Files.isExecutable(Path.of(directory, program)));
    }
}
