package dev.paystream.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * The headers that describe one connection and end at the gateway, in either direction (RFC 9110
 * §7.6.1): a fixed list, plus whatever that message's {@code Connection} header names.
 */
final class HopByHopHeaders {

    /** Lower case. */
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "trailer", "proxy-authorization", "proxy-authenticate", "upgrade");

    private final List<String> connectionOptions;

    private HopByHopHeaders(List<String> connectionOptions) {
        this.connectionOptions = connectionOptions;
    }

    /** The hop-by-hop headers of the message whose headers are {@code headers}. */
    static HopByHopHeaders of(HttpHeaders headers) {
        return new HopByHopHeaders(headers.getConnection());
    }

    /** @param lowerCaseName {@code name} in lower case, which callers have at hand already */
    boolean contains(String name, String lowerCaseName) {
        if (ALWAYS.contains(lowerCaseName)) {
            return true;
        }
        // Connection usually names nothing else, or only keep-alive / close.
        for (String option : connectionOptions) {
            if (option.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
