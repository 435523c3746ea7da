/*
 * Waits until the local Kafka broker answers, then creates the topics that are missing.
 * ./paystream up compiles it once into .paystream/classes and runs it with the broker's own jars
 * on the classpath; by hand (JDK single-file source launcher):
 *
 *   java -cp '.paystream/lib/kafka/*' deploy/kafka/CreateTopics.java \
 *        <bootstrap> <partitions> <wait-seconds> topic1 topic2 ...
 *
 * Existing topics are left as they are (also their partition count). Replication factor 1.
 * Exit 0 when every topic exists, 2 with one line on stderr otherwise.
 */
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

public class CreateTopics {

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: CreateTopics <bootstrap> <partitions> <wait-seconds> <topic>...");
            System.exit(2);
        }
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
        List<String> wanted = Arrays.asList(args).subList(3, args.length);

        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.CLIENT_ID_CONFIG, "paystream-create-topics");
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = null;
            Exception last = null;
            while (existing == null && System.currentTimeMillis() < deadline) {
                try {
                    existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    last = e;
                    Thread.sleep(500);
                }
            }
            if (existing == null) {
                fail("Kafka at " + bootstrap + " did not answer: " + rootMessage(last));
            }
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : wanted) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, (short) 1));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    System.out.println("created topic " + entry.getKey() + " (" + partitions + " partitions)");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        fail("cannot create topic " + entry.getKey() + ": " + rootMessage(e));
                    }
                }
            }
        }
    }

    private static String rootMessage(Throwable t) {
        if (t == null) {
            return "timed out";
        }
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
