/*
 * Creates Paystream's databases if they are missing (a fresh machine may have no psql).
 * ./paystream up compiles it once into .paystream/classes; by hand (single-file source launcher):
 *
 *   java -cp '.paystream/lib/postgres/*' deploy/postgres/CreateDatabases.java db1 db2 ...
 *   java -cp '.paystream/lib/postgres/*' deploy/postgres/CreateDatabases.java --drop db1 db2 ...
 *
 * --drop (./paystream reset --databases) drops the named databases instead, closing their
 * connections (DROP DATABASE ... WITH (FORCE), PostgreSQL 13+).
 *
 * Connection from the environment: PAYSTREAM_DB_HOST (127.0.0.1), PAYSTREAM_DB_PORT (5432),
 * PAYSTREAM_DB_USER (postgres), PAYSTREAM_DB_PASSWORD (empty). Retries the first connection for up
 * to PAYSTREAM_DB_WAIT_SECONDS (30), so it can follow a server that is still starting.
 * Exit 0 when every database exists, 2 with one line on stderr otherwise.
 */
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

public class CreateDatabases {

    public static void main(String[] args) {
        String host = env("PAYSTREAM_DB_HOST", "127.0.0.1");
        String port = env("PAYSTREAM_DB_PORT", "5432");
        String user = env("PAYSTREAM_DB_USER", "postgres");
        String password = env("PAYSTREAM_DB_PASSWORD", "");
        long waitMillis = Long.parseLong(env("PAYSTREAM_DB_WAIT_SECONDS", "30")) * 1000;
        boolean drop = args.length > 0 && args[0].equals("--drop");
        String[] names = drop ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;

        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "paystream-create-databases");
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";

        long deadline = System.currentTimeMillis() + waitMillis;
        while (true) {
            try (Connection c = DriverManager.getConnection(url, props)) {
                for (String db : names) {
                    if (drop) {
                        drop(c, db);
                    } else {
                        ensure(c, db);
                    }
                }
                return;
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                // 08xxx: cannot connect yet; 57P03: the server is starting up. Anything else is final.
                boolean retry = state.startsWith("08") || state.equals("57P03");
                if (!retry || System.currentTimeMillis() > deadline) {
                    System.err.println("cannot prepare the databases on " + host + ":" + port + " as user " + user
                            + ": " + firstLine(e.getMessage()));
                    System.exit(2);
                }
                sleep(500);
            }
        }
    }

    private static void drop(Connection c, String db) throws SQLException {
        checkName(db);
        try (Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            System.out.println("dropped database " + db);
        }
    }

    private static void checkName(String db) {
        if (!db.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + db);
        }
    }

    private static void ensure(Connection c, String db) throws SQLException {
        checkName(db);
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
            System.out.println("created database " + db);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently, fine
                throw e;
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
