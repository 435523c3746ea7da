package dev.paystream.webhook.destination;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may be sent (CONTRACT §10), checked when an endpoint is registered and again before
 * every attempt, since what a name resolves to can change. An endpoint URL is an absolute {@code https}
 * URL without credentials or fragment; plain {@code http} and private targets (loopback, private,
 * link-local, unique-local and the other ranges of {@link TargetAddresses}) only when the operator
 * allows private targets, as local mode ({@code ./paystream up}) does: a webhook receiver on the
 * developer's own machine is the point there, and nowhere else.
 */
public final class TargetPolicy {

    public static final int URL_LENGTH_MAX = 2048;

    /** Resolves a host name to its addresses; blocking. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** What checking a URL's host gave. */
    public sealed interface Resolution {
    }

    /**
     * Every address of the host is allowed; {@code address} is the one to connect to, carrying the host
     * name too, so that the connection goes exactly where the check said (no second lookup) while TLS
     * still names and verifies the host.
     */
    public record Allowed(InetSocketAddress address) implements Resolution {
    }

    /** The host resolves to an address that is refused; {@code reason} names it. */
    public record Refused(String reason) implements Resolution {
    }

    /** The host does not resolve (now). */
    public record Unresolvable(String reason) implements Resolution {
    }

    /** A URL that can never be a target, with the reason (for a 422 naming {@code url}). */
    public static final class InvalidTarget extends RuntimeException {

        public InvalidTarget(String reason) {
            super(reason, null, false, false);
        }
    }

    private final boolean allowPrivateTargets;
    private final HostResolver resolver;

    public TargetPolicy(boolean allowPrivateTargets, HostResolver resolver) {
        this.allowPrivateTargets = allowPrivateTargets;
        this.resolver = resolver;
    }

    /** The policy of this machine's resolver. */
    public static TargetPolicy withSystemResolver(boolean allowPrivateTargets) {
        return new TargetPolicy(allowPrivateTargets, InetAddress::getAllByName);
    }

    public boolean allowsPrivateTargets() {
        return allowPrivateTargets;
    }

    /** The URL as a target, or {@link InvalidTarget} saying why it cannot be one. Resolves nothing. */
    public URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidTarget("url is required: the https URL that receives the webhooks");
        }
        if (url.length() > URL_LENGTH_MAX) {
            throw new InvalidTarget("url must be at most " + URL_LENGTH_MAX + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException malformed) {
            throw new InvalidTarget("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new InvalidTarget("url must be an https URL");
        }
        if (scheme.equals("http") && !allowPrivateTargets) {
            throw new InvalidTarget("url must be an https URL (plain http only in local mode)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidTarget("url must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidTarget("url must not have a fragment");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidTarget("url must name a host");
        }
        if (uri.getPort() == 0) {
            throw new InvalidTarget("url must not name port 0");
        }
        return uri;
    }

    /** Resolves the URL's host and checks every address it has. Blocking: call it off event-loop threads. */
    public Resolution resolve(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException unknown) {
            return new Unresolvable("the host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return new Unresolvable("the host " + host + " has no address");
        }
        if (!allowPrivateTargets) {
            for (InetAddress address : addresses) {
                String why = TargetAddresses.whyRefused(address);
                if (why != null) {
                    return new Refused("url resolves to a " + why + " address (" + address.getHostAddress()
                            + "), which webhooks are never sent to");
                }
            }
        }
        try {
            InetAddress pinned = InetAddress.getByAddress(host, addresses[0].getAddress());
            return new Allowed(new InetSocketAddress(pinned, port(uri)));
        } catch (UnknownHostException impossible) {
            // getByAddress fails only for an address of the wrong length, which a resolver never returns.
            return new Unresolvable("the host " + host + " has an address of unknown form");
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
