import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver for benchmarks: answers every POST 200 at once, on 127.0.0.1 and the given port,
 * and prints how many requests it answered every 5 s. Run: java bench/WebhookReceiver.java 3001
 */
public class WebhookReceiver {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3001;
        AtomicLong answered = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
                answered.incrementAndGet();
            }
        });
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
        while (true) {
            Thread.sleep(5000);
            System.out.println("answered " + answered.get());
        }
    }
}
