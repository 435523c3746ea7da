package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local mode trusts nobody else on the machine or the network (hardening finding 9): what
 * {@code ./paystream up} starts listens on 127.0.0.1 unless {@code --listen} says otherwise, and its
 * embedded PostgreSQL takes only password (SCRAM) logins with a password generated into
 * {@code .paystream/db.password}, readable by its owner alone. Checked on the shared platform, which
 * {@code ./paystream up} started with its defaults, and the listening sockets read from the kernel
 * ({@code /proc/net/tcp}, {@code /proc/net/tcp6}: Linux).
 */
@ExtendWith(Platform.Shared.class)
class LocalModeEndToEndTest {

    private static final int TCP_LISTEN = 0x0A;
    private static Platform platform;

    @BeforeAll
    static void connect(Platform started) {
        platform = started;
    }

    @Test
    void everythingUpStartsListensOnThisMachineOnly() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "the kernel's socket tables (Linux) are needed");
        List<String> components = List.of("gateway", "customer", "payment", "ledger", "webhook", "kafka", "kafka-controller", "postgres");
        Map<String, Set<String>> listening = new HashMap<>();
        for (String component : components) {
            listening.put(component, listeningAddresses(platform.port(component)));
        }

        assertThat(listening).allSatisfy((component, addresses) -> assertThat(addresses).as(component).isNotEmpty()
                .allSatisfy(address -> assertThat(address).as(component).isEqualTo("127.0.0.1")));
        Optional<InetAddress> networkAddress = networkAddress();
        if (networkAddress.isPresent()) {
            for (String component : components) {
                assertThat(refusesConnectionsOn(networkAddress.get(), platform.port(component)))
                        .as("%s refuses connections on %s", component, networkAddress.get()).isTrue();
            }
        }
    }

    @Test
    void theEmbeddedDatabaseTakesOnlyTheGeneratedPasswordKeptForItsOwnerAlone() throws Exception {
        Path passwordFile = platform.state().resolve("db.password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(platform.state()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        String password = Files.readString(passwordFile).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        String url = "jdbc:postgresql://127.0.0.1:" + platform.port("postgres") + "/postgres";

        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                .isInstanceOfSatisfying(SQLException.class, refused -> assertThat(refused.getSQLState()).isEqualTo("28P01"));
        try (Connection connection = DriverManager.getConnection(url, "postgres", password);
             Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'")).startsWith("SCRAM-SHA-256$");
            assertThat(all(statement, "SELECT DISTINCT auth_method FROM pg_hba_file_rules")).containsExactly("scram-sha-256");
            assertThat(all(statement, "SELECT DISTINCT type FROM pg_hba_file_rules")).containsExactly("host");
        }
    }

    /**
     * {@code ./paystream up --listen 0.0.0.0} opens the gateway and Kafka to the network (and says so);
     * Kafka's controller stays on 127.0.0.1. A platform of its own, of the gateway alone, on the shared
     * platform's database server.
     */
    @Test
    void listenOpensTheGatewayAndKafkaToTheAddressGiven() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "the kernel's socket tables (Linux) are needed");
        String gatewayLine = Platform.registry().stream().filter(line -> line.startsWith("gateway ")).findFirst().orElseThrow();
        String[] columns = gatewayLine.trim().split("\\s+");
        // Its own database; and a topic, as ./paystream up creates the topics of the services it starts.
        List<String> registry = List.of(String.join(" ", columns[0], columns[1], columns[2] + "_listen", "paystream.payments.v1"));
        String password = Files.readString(platform.state().resolve("db.password")).trim();
        Path root = Path.of(System.getProperty("paystream.build.dir", "target")).toAbsolutePath().resolve("e2e-listen");
        Platform open = Platform.prepare(root, registry, "postgresql://postgres:" + password + "@127.0.0.1:" + platform.port("postgres"), Map.of())
                .sharingRuntimesOf(platform);
        try {
            String printed = open.run(Duration.ofMinutes(10), "up", "--listen", "0.0.0.0");

            assertThat(printed).contains("Listening on 0.0.0.0").contains("Reachable from the network");
            assertThat(listeningAddresses(open.port("gateway"))).containsExactly("0.0.0.0");
            assertThat(listeningAddresses(open.port("kafka"))).containsExactly("0.0.0.0");
            assertThat(listeningAddresses(open.port("kafka-controller"))).containsExactly("127.0.0.1");
            Optional<InetAddress> networkAddress = networkAddress();
            if (networkAddress.isPresent()) {
                assertThat(refusesConnectionsOn(networkAddress.get(), open.port("gateway"))).isFalse();
            }
        } finally {
            open.close();
        }
        assertThat(listeningAddresses(open.port("gateway"))).isEmpty();
    }

    /**
     * The addresses on which some process listens for TCP connections on {@code port}, as the kernel
     * lists them: "127.0.0.1", or "0.0.0.0" for every address (IPv6 "::" included, and IPv4-mapped
     * IPv6 addresses shown as IPv4).
     */
    private static Set<String> listeningAddresses(int port) throws IOException {
        Set<String> addresses = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (Integer.parseInt(fields[3], 16) == TCP_LISTEN && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(describe(kernelAddress(local[0])));
                }
            }
        }
        return addresses;
    }

    /** The kernel prints an address as 32-bit words in the machine's byte order. */
    private static InetAddress kernelAddress(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (int word = 0; ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && word < bytes.length; word += 4) {
            for (int i = 0; i < 2; i++) {
                byte swapped = bytes[word + i];
                bytes[word + i] = bytes[word + 3 - i];
                bytes[word + 3 - i] = swapped;
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String describe(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "0.0.0.0";
        }
        return address.isLoopbackAddress() && !(address instanceof Inet4Address) ? "::1" : address.getHostAddress();
    }

    /** An IPv4 address of this machine other than loopback, if it has one: where others would connect. */
    private static Optional<InetAddress> networkAddress() throws SocketException {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
            if (network.isUp() && !network.isLoopback()) {
                network.inetAddresses().filter(address -> address instanceof Inet4Address && !address.isLinkLocalAddress())
                        .forEach(found::add);
            }
        }
        return found.stream().findFirst();
    }

    private static boolean refusesConnectionsOn(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            throw new UncheckedIOException("Neither accepted nor refused: " + address + ":" + port, other);
        }
    }

    private static String single(Statement statement, String query) throws SQLException {
        List<String> values = all(statement, query);
        assertThat(values).as(query).hasSize(1);
        return values.get(0);
    }

    private static List<String> all(Statement statement, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
