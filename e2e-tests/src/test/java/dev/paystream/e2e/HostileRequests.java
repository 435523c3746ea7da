package dev.paystream.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Malformed and hostile requests for the operations of the services' OpenAPI documents: each one a
 * plausible request for an operation (ids of real resources, valid-looking bodies built from the
 * operation's schema) with one or more mutations applied (CONTRACT §1–§4 say what every answer must be).
 * Generation is a pure function of the random generator, so a seed reproduces a run's requests.
 */
final class HostileRequests {

    /** An operation of an OpenAPI document: its method, path template, parameters and body schema. */
    record Operation(String service, String method, String path, List<JsonNode> parameters, JsonNode bodySchema, JsonNode components) {

        String name() {
            return method + " " + path;
        }
    }

    /** One request to send; {@code cards} are the card numbers it carries anywhere, which no answer may show. */
    record Request(int index, String operation, String mutation, String method, String path, Map<String, String> headers,
                   byte[] body, String apiKey, List<String> cards) {

        String describe() {
            String shownBody = body == null ? "(none)" : new String(body, StandardCharsets.UTF_8);
            if (shownBody.length() > 600) {
                shownBody = shownBody.substring(0, 600) + "... (" + body.length + " bytes)";
            }
            String shownPath = path.length() > 300 ? path.substring(0, 300) + "... (" + path.length() + " chars)" : path;
            Map<String, String> shownHeaders = new LinkedHashMap<>();
            headers.forEach((name, value) -> shownHeaders.put(name, value.length() > 100 ? value.substring(0, 100) + "..." : value));
            String key = apiKey == null ? "none" : apiKey.length() > 40 ? apiKey.substring(0, 40) + "..." : apiKey;
            return "#" + index + " [" + operation + " / " + mutation + "] " + method + " " + shownPath + " key=" + key
                    + " headers=" + shownHeaders + " body=" + shownBody;
        }
    }

    /** The keys requests are sent with: the fuzzing merchant's, the operator's, and a revoked one. */
    record Keys(String merchant, String admin, String revoked) {
    }

    static final List<String> CARDS = List.of("4242424242424242", "5555555555554444", "4000000000000002", "4000000000009995",
            "378282246310005", "6011111111111117");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int HUGE = 100_000;
    /** The gateway counts unknown keys per address (20 a minute, then 429 for every request): this run stays under it. */
    private static final int UNKNOWN_KEYS_PER_RUN = 8;

    private final RandomGenerator random;
    private final List<Operation> operations;
    private final Map<String, String> fixtures;
    private final Keys keys;
    private final double adminShare;
    private int unknownKeysSent;
    /** The components of the operation being drafted, where its schemas' references lead. */
    private JsonNode components = NODES.objectNode();
    private int index;

    /**
     * @param fixtures ids of real resources by path collection ({@code payments} → {@code pay_...}), so that
     *                 mutated requests also reach the code behind a found resource
     * @param adminShare the share of requests sent with the admin key (it has a rate limit of its own)
     */
    HostileRequests(RandomGenerator random, List<Operation> operations, Map<String, String> fixtures, Keys keys, double adminShare) {
        this.random = random;
        this.operations = operations;
        this.fixtures = fixtures;
        this.keys = keys;
        this.adminShare = adminShare;
    }

    /** The operations of an OpenAPI document (as the services serve them at /v3/api-docs). */
    static List<Operation> operations(String service, JsonNode document) {
        List<Operation> found = new ArrayList<>();
        JsonNode components = document.path("components");
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    continue;
                }
                JsonNode operation = method.getValue();
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                operation.path("parameters").forEach(parameters::add);
                JsonNode body = null;
                for (Map.Entry<String, JsonNode> content : operation.path("requestBody").path("content").properties()) {
                    body = content.getValue().path("schema");
                }
                found.add(new Operation(service, method.getKey().toUpperCase(), path.getKey(), parameters, body, components));
            }
        }
        return found;
    }

    Request next() {
        Operation operation = operations.get(random.nextInt(operations.size()));
        Draft draft = new Draft(operation);
        int mutations = 1 + (random.nextInt(4) == 0 ? 1 : 0);
        List<String> applied = new ArrayList<>();
        for (int m = 0; m < mutations; m++) {
            applied.add(mutate(draft));
        }
        return draft.toRequest(index++, String.join("+", applied));
    }

    // ---------------------------------------------------------------------------------------------
    // a request being built

    private final class Draft {
        final Operation operation;
        String method;
        final Map<String, String> pathValues = new LinkedHashMap<>();
        final List<String[]> query = new ArrayList<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        JsonNode body;
        byte[] rawBody;
        boolean noBody;
        String apiKey;
        String pathOverride;
        final List<String> cards = new ArrayList<>();

        Draft(Operation operation) {
            this.operation = operation;
            components = operation.components();
            this.method = operation.method();
            this.apiKey = random.nextDouble() < adminShare ? keys.admin() : keys.merchant();
            // From the template itself: a document may leave a path parameter undeclared.
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(operation.path());
            while (names.find()) {
                pathValues.put(names.group(1), fixtureFor(operation.path(), names.group(1)));
            }
            for (JsonNode parameter : operation.parameters()) {
                String name = parameter.path("name").asString();
                switch (parameter.path("in").asString()) {
                    case "path" -> {
                    }
                    case "query" -> {
                        if (parameter.path("required").asBoolean(false) || random.nextInt(3) == 0) {
                            query.add(new String[] {name, validValue(name, resolve(parameter.path("schema"))).asString("")});
                        }
                    }
                    case "header" -> {
                        if (name.equalsIgnoreCase("Idempotency-Key")) {
                            headers.put("Idempotency-Key", "fuzz-" + Long.toHexString(random.nextLong()));
                        }
                    }
                    default -> {
                    }
                }
            }
            if (!operation.method().equals("GET") && operation.path().matches(".*/(capture|cancel|refunds)$|/v1/payments|/v1/payouts")) {
                headers.putIfAbsent("Idempotency-Key", "fuzz-" + Long.toHexString(random.nextLong()));
            }
            if (operation.bodySchema() != null) {
                body = valid(operation.bodySchema(), "", 0);
                headers.put("Content-Type", "application/json");
            }
        }

        JsonNode resolve(JsonNode schema) {
            return HostileRequests.resolve(schema, operation.components());
        }

        Request toRequest(int index, String mutation) {
            StringBuilder path = new StringBuilder(currentPath());
            for (int q = 0; q < query.size(); q++) {
                path.append(q == 0 ? '?' : '&').append(encode(query.get(q)[0])).append('=').append(encode(query.get(q)[1]));
            }
            byte[] bytes = noBody ? null : rawBody != null ? rawBody : body != null ? JSON.writeValueAsBytes(body) : null;
            String sent = (bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8)) + path + headers + apiKey;
            List<String> carried = CARDS.stream().filter(sent::contains).toList();
            return new Request(index, operation.service() + " " + operation.name(), mutation, method, path.toString(),
                    Map.copyOf(headers), bytes, apiKey, carried);
        }

        /** The path as it stands: overridden, or the template with its ids. */
        String currentPath() {
            if (pathOverride != null) {
                return pathOverride;
            }
            String template = operation.path();
            for (Map.Entry<String, String> value : pathValues.entrySet()) {
                template = template.replace("{" + value.getKey() + "}", value.getValue());
            }
            return template;
        }

        /** The fields of the body's top-level object (most mutations work on one of them). */
        List<String> fields() {
            List<String> names = new ArrayList<>();
            if (body instanceof ObjectNode object) {
                object.propertyNames().forEach(names::add);
            }
            return names;
        }

        /** The body's object, made one if the operation has none (so that every mutation has something to work on). */
        ObjectNode object() {
            if (!(body instanceof ObjectNode)) {
                body = NODES.objectNode();
                headers.put("Content-Type", "application/json");
            }
            rawBody = null;
            return (ObjectNode) body;
        }

        String anyField() {
            List<String> names = fields();
            if (names.isEmpty()) {
                object().put("description", "x");
                return "description";
            }
            return names.get(random.nextInt(names.size()));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // mutations: each changes the draft in one hostile way and says which

    private String mutate(Draft draft) {
        return switch (random.nextInt(17)) {
            case 0 -> wrongType(draft);
            case 1 -> missingField(draft);
            case 2 -> extraField(draft);
            case 3 -> hugeString(draft);
            case 4 -> oddNumber(draft);
            case 5 -> oddCharacters(draft);
            case 6 -> invalidJson(draft);
            case 7 -> wrongContentType(draft);
            case 8 -> random.nextInt(4) == 0 ? oversizedBody(draft) : wrongType(draft);
            case 9, 10 -> badPathId(draft);
            case 11 -> badQuery(draft);
            case 12 -> badIdempotencyKey(draft);
            case 13 -> badApiKey(draft);
            case 14 -> metadataOverLimits(draft);
            case 15 -> cardInOddPlace(draft);
            default -> random.nextBoolean() ? wrongMethodOrPath(draft) : validAsIs(draft);
        };
    }

    private String wrongType(Draft draft) {
        String field = draft.anyField();
        JsonNode replacement = switch (random.nextInt(7)) {
            case 0 -> NODES.stringNode("5000");
            case 1 -> NODES.numberNode(42);
            case 2 -> NODES.booleanNode(true);
            case 3 -> NODES.arrayNode().add(1).add("a");
            case 4 -> NODES.objectNode().put("nested", "x");
            case 5 -> NODES.nullNode();
            default -> NODES.numberNode(12.5);
        };
        draft.object().set(field, replacement);
        return "wrong type of " + field;
    }

    private String missingField(Draft draft) {
        List<String> names = draft.fields();
        if (names.isEmpty()) {
            draft.noBody = true;
            return "no body";
        }
        String field = names.get(random.nextInt(names.size()));
        draft.object().remove(field);
        if (random.nextInt(4) == 0) {
            draft.object().removeAll();
            return "empty object";
        }
        return "missing " + field;
    }

    private String extraField(Draft draft) {
        String[] names = {"amount_captured", "status", "id", "merchant_id", "admin", "__proto__", "constructor", "AMOUNT", "Amount",
                "amount ", "", "card.number", "x".repeat(300)};
        String name = names[random.nextInt(names.length)];
        draft.object().put(name, random.nextBoolean() ? "x" : "1");
        if (random.nextBoolean() && !draft.fields().isEmpty()) {
            // The same field twice: STRICT_DUPLICATE_DETECTION, the last one must not silently win.
            String field = draft.fields().get(0);
            String json = JSON.writeValueAsString(draft.body);
            draft.rawBody = ("{\"" + field + "\":1," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
            return "duplicate " + field;
        }
        return "extra field";
    }

    private String hugeString(Draft draft) {
        String field = draft.anyField();
        int length = random.nextBoolean() ? 1_000 + random.nextInt(5_000) : 20_000 + random.nextInt(40_000);
        draft.object().put(field, repeat(random.nextBoolean() ? "A" : "é", length));
        return "huge string in " + field;
    }

    private String oddNumber(Draft draft) {
        String[] numbers = {"9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "-1", "0", "-0", "1e400",
                "1E2", "1.0", "0.5", "100000000", "99999999", "2147483648", "-2147483649", "1e-400", "0x10", "NaN", "Infinity",
                "-Infinity", "01", "+1", "1_000"};
        String number = numbers[random.nextInt(numbers.length)];
        String field = pick(draft.fields(), "amount");
        String json = JSON.writeValueAsString(draft.object().put(field, "__NUMBER__"));
        draft.rawBody = json.replace("\"__NUMBER__\"", number).getBytes(StandardCharsets.UTF_8);
        return "number " + number + " in " + field;
    }

    private String oddCharacters(Draft draft) {
        String[] odd = {"\u0000", "nul\u0000inside", "\u0001\u0002\u001f", "\u202Eevil", "\uFEFFbom", "😀👍🏽", "\u00A0", "\r\n\r\nX-Injected: 1",
                "<script>alert(1)</script>", "'; DROP TABLE payments; --", "' OR '1'='1", "${jndi:ldap://x/a}", "%s%n%x", "../../etc/passwd",
                "\\", "\"", "\uD83D", "\uDFFF", "ｕｓｄ", "İ", "\u0301", "\t", "   ", ""};
        String value = odd[random.nextInt(odd.length)];
        String field = draft.anyField();
        if (random.nextInt(3) == 0 && field.equals("currency")) {
            draft.object().put(field, random.nextBoolean() ? "usd" : "U\u0000D");
        } else {
            draft.object().put(field, value);
        }
        if (value.startsWith("\uD83D") || value.startsWith("\uDFFF")) {
            // A lone surrogate as a JSON escape: valid JSON text, no valid string.
            String json = JSON.writeValueAsString(draft.body).replace(value, value.startsWith("\uD83D") ? "\\ud83d" : "\\udfff");
            draft.rawBody = json.getBytes(StandardCharsets.UTF_8);
        }
        return "odd characters in " + field;
    }

    private String invalidJson(Draft draft) {
        String json = draft.body == null ? "{\"amount\":1}" : JSON.writeValueAsString(draft.body);
        byte[] raw = switch (random.nextInt(14)) {
            case 0 -> json.substring(0, Math.max(1, json.length() / 2)).getBytes(StandardCharsets.UTF_8);
            case 1 -> (json + "garbage").getBytes(StandardCharsets.UTF_8);
            case 2 -> "{".getBytes(StandardCharsets.UTF_8);
            case 3 -> "[]".getBytes(StandardCharsets.UTF_8);
            case 4 -> "null".getBytes(StandardCharsets.UTF_8);
            case 5 -> "\"just a string\"".getBytes(StandardCharsets.UTF_8);
            case 6 -> "{'amount': 1}".getBytes(StandardCharsets.UTF_8);
            case 7 -> repeat("[", 5_000 + random.nextInt(20_000)).getBytes(StandardCharsets.UTF_8);
            case 8 -> (repeat("{\"a\":", 3_000) + "1" + repeat("}", 3_000)).getBytes(StandardCharsets.UTF_8);
            case 9 -> new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, '{', '}'};
            case 10 -> ("{\"description\":\"" + new String(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, StandardCharsets.ISO_8859_1)
                    + "\"}").getBytes(StandardCharsets.ISO_8859_1);
            case 11 -> "".getBytes(StandardCharsets.UTF_8);
            case 12 -> ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8);
            default -> json.replace(":", ":/*comment*/").getBytes(StandardCharsets.UTF_8);
        };
        draft.rawBody = raw;
        draft.body = draft.body == null ? NODES.objectNode() : draft.body;
        draft.headers.put("Content-Type", "application/json");
        return "invalid JSON";
    }

    private String wrongContentType(Draft draft) {
        String[] types = {"text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                "application/json; charset=ISO-8859-1", "application/json; charset=nonsense", "@@@", "application/problem+json",
                "application/*", "*/*", "application/json-patch+json", "text/html; charset=utf-8", ""};
        String type = types[random.nextInt(types.length)];
        draft.object();
        if (type.isEmpty() || random.nextInt(6) == 0) {
            draft.headers.remove("Content-Type");
            return "no Content-Type";
        }
        draft.headers.put("Content-Type", type);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            draft.rawBody = "amount=5000&currency=USD".getBytes(StandardCharsets.UTF_8);
        }
        if (random.nextInt(4) == 0) {
            draft.headers.put("Accept", random.nextBoolean() ? "text/html" : "application/xml");
        }
        return "Content-Type " + type;
    }

    private String oversizedBody(Draft draft) {
        draft.object().put("description", repeat("x", 70_000 + random.nextInt(200_000)));
        return "oversized body";
    }

    private String badPathId(Draft draft) {
        String[] ids = {"pay_../", "pay_..%2F..%2Fadmin", "..", "%2e%2e%2f", "pay_%00", "%00", "'%20OR%20'1'='1", "pay_'%3B--", "1%3B%20DROP%20TABLE%20x",
                "pay_%E2%80%AE", "%F0%9F%98%80", "%C3%28", "%FF%FE", "-1", "0", "99999999999999999999999", "null", "undefined", "%20",
                "pay_%0d%0aX-Injected:%201", "pay_" + "a".repeat(300), "A".repeat(5_000), "4242424242424242", "pay_4242424242424242",
                "%7B%7D", "pay_%25", "%5C", "pay_%09"};
        String id = ids[random.nextInt(ids.length)];
        if (draft.pathValues.isEmpty()) {
            // No id in this path: a hostile segment after it instead.
            draft.pathOverride = draft.currentPath() + "/" + id;
            return "hostile segment after path";
        }
        String name = new ArrayList<>(draft.pathValues.keySet()).get(random.nextInt(draft.pathValues.size()));
        draft.pathValues.put(name, id);
        return "bad path id " + (id.length() > 40 ? id.substring(0, 20) + "...(" + id.length() + ")" : id);
    }

    private String badQuery(Draft draft) {
        String[][] params = {{"limit", "0"}, {"limit", "101"}, {"limit", "-1"}, {"limit", "abc"}, {"limit", "99999999999999999999"},
                {"limit", ""}, {"limit", "1.5"}, {"limit", "1e2"}, {"starting_after", "pay_unknown"}, {"starting_after", "' OR 1=1--"},
                {"starting_after", "x".repeat(3000)}, {"starting_after", ""}, {"starting_after", "\u0000"}, {"ending_before", "pay_x"},
                {"status", "nonsense"}, {"status", ""}, {"customer_id", "\u0000"}, {"email", "%"}, {"created[gt]", "abc"},
                {"since", "yesterday"}, {"payment_id", "x".repeat(2000)}, {"currency", "XXX"}, {"expand[]", "card"}, {"limit", "20"},
                {"event_id", "'"}, {"account", "\u202E"}};
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            draft.query.add(params[random.nextInt(params.length)]);
        }
        if (random.nextInt(4) == 0) {
            // The same parameter twice, with different values.
            draft.query.add(new String[] {"limit", "5"});
            draft.query.add(new String[] {"limit", "500"});
        }
        return "bad query";
    }

    private String badIdempotencyKey(Draft draft) {
        String[] keys = {"", " ", "x".repeat(256), "x".repeat(10_000), "key with spaces", "k\"e;y", "4242424242424242"};
        String key = keys[random.nextInt(keys.length)];
        draft.headers.put(random.nextBoolean() ? "Idempotency-Key" : "X-Idempotency-Key", key);
        if (random.nextInt(3) == 0) {
            draft.headers.put("X-Idempotency-Key", "other-" + random.nextInt());
        }
        return "bad Idempotency-Key (" + key.length() + " chars)";
    }

    private String badApiKey(Draft draft) {
        int choice = random.nextInt(9);
        // A key that is sent but is no key (unknown, revoked, empty, with extra words) counts as an unknown one.
        boolean countsAsUnknown = choice == 0 || choice == 2 || choice == 4 || choice == 8;
        if (countsAsUnknown && unknownKeysSent >= UNKNOWN_KEYS_PER_RUN) {
            choice = random.nextBoolean() ? 1 : 3;
        } else if (countsAsUnknown) {
            unknownKeysSent++;
        }
        if (choice == 0) {
            draft.apiKey = random.nextBoolean() ? "sk_test_" + Long.toHexString(random.nextLong()) : keys.revoked();
            return "unknown or revoked API key";
        }
        switch (choice) {
            case 1 -> draft.apiKey = null;
            case 2 -> {
                draft.apiKey = null;
                draft.headers.put("Authorization", "Bearer");
            }
            case 3 -> {
                draft.apiKey = null;
                draft.headers.put("Authorization", "Basic dXNlcjpwYXNz");
            }
            case 4 -> {
                draft.apiKey = null;
                draft.headers.put("Authorization", "Bearer " + keys.merchant() + " extra");
            }
            case 5 -> draft.apiKey = keys.merchant();
            case 6 -> draft.apiKey = keys.admin();
            case 7 -> {
                draft.apiKey = null;
                draft.headers.put("X-Request-Id", repeat("r", 5_000));
            }
            default -> {
                draft.apiKey = null;
                draft.headers.put("x-api-key", "");
            }
        }
        return "API key variant " + choice;
    }

    private String metadataOverLimits(Draft draft) {
        ObjectNode metadata = NODES.objectNode();
        String kind;
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int i = 0; i < 51; i++) {
                    metadata.put("k" + i, "v");
                }
                kind = "51 keys";
            }
            case 1 -> {
                metadata.put("k".repeat(41), "v");
                kind = "41-character key";
            }
            case 2 -> {
                metadata.put("k", "v".repeat(501));
                kind = "501-character value";
            }
            case 3 -> {
                metadata.set("k", NODES.objectNode().put("nested", 1));
                kind = "nested object value";
            }
            case 4 -> {
                metadata.put("k", 12);
                metadata.put("b", true);
                kind = "non-string values";
            }
            case 5 -> {
                metadata.put("", "v");
                metadata.put("\u0000", "v");
                kind = "empty and NUL keys";
            }
            default -> {
                for (int i = 0; i < 5_000; i++) {
                    metadata.put("key" + i, "v".repeat(10));
                }
                kind = "5000 keys";
            }
        }
        if (random.nextInt(5) == 0) {
            draft.object().set("metadata", random.nextBoolean() ? NODES.arrayNode().add("a") : NODES.stringNode("meta"));
            return "metadata not an object";
        }
        draft.object().set("metadata", metadata);
        return "metadata " + kind;
    }

    private String cardInOddPlace(Draft draft) {
        String card = CARDS.get(random.nextInt(CARDS.size()));
        switch (random.nextInt(8)) {
            case 0 -> draft.object().put("description", "card " + card);
            case 1 -> draft.object().set("metadata", NODES.objectNode().put("card", card));
            case 2 -> draft.object().put(pick(draft.fields(), "name"), card);
            case 3 -> draft.query.add(new String[] {random.nextBoolean() ? "customer_id" : "email", card});
            case 4 -> {
                if (!draft.pathValues.isEmpty()) {
                    draft.pathValues.put(draft.pathValues.keySet().iterator().next(), card);
                } else {
                    draft.object().put("customer_id", card);
                }
            }
            case 5 -> draft.object().set("card", cardObject(card, 12, 2030));
            case 6 -> draft.object().put("card", card);
            default -> draft.object().put(card, "value");
        }
        return "card number in an odd place";
    }

    private String wrongMethodOrPath(Draft draft) {
        if (random.nextBoolean()) {
            String[] methods = {"PUT", "DELETE", "PATCH", "POST", "GET", "OPTIONS", "TRACE", "FUZZ"};
            draft.method = methods[random.nextInt(methods.length)];
            return "method " + draft.method;
        }
        String[] paths = {"/v1/nothing", "/v1/payments/x/y/z", "/v2/payments", "/v1//payments", "/v1/payments/", "/V1/PAYMENTS",
                "/v1/./payments", "/v1/payments/%2e%2e/refunds", "/actuator/env", "/v1/ledger/../merchants", "/v1/%00", "/v1;jsessionid=x/payments"};
        draft.pathOverride = paths[random.nextInt(paths.length)];
        draft.pathValues.clear();
        return "wrong path";
    }

    private String validAsIs(Draft draft) {
        return "as the schema says";
    }

    // ---------------------------------------------------------------------------------------------
    // valid values from the schema

    private JsonNode valid(JsonNode schema, String name, int depth) {
        JsonNode resolved = resolve(schema, components);
        return validResolved(resolved, name, depth);
    }

    private JsonNode validResolved(JsonNode schema, String name, int depth) {
        if (depth > 4) {
            return NODES.nullNode();
        }
        if (schema.has("enum") && !schema.path("enum").isEmpty()) {
            JsonNode values = schema.path("enum");
            return values.get(random.nextInt(values.size()));
        }
        String type = schema.path("type").asString("");
        if (type.isEmpty() && schema.has("properties")) {
            type = "object";
        }
        if (type.equals("object") || schema.has("properties")) {
            if (name.equals("metadata") || !schema.has("properties")) {
                return NODES.objectNode().put("order_id", "123");
            }
            if (name.equals("card")) {
                return cardObject(CARDS.get(random.nextInt(2)), 12, 2030);
            }
            ObjectNode object = NODES.objectNode();
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(field -> required.add(field.asString()));
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                if (required.contains(property.getKey()) || random.nextInt(3) != 0) {
                    object.set(property.getKey(), valid(property.getValue(), property.getKey(), depth + 1));
                }
            }
            return object;
        }
        if (type.equals("array")) {
            ArrayNode array = NODES.arrayNode();
            array.add(name.equals("events") ? NODES.stringNode("invoice.voided") : valid(schema.path("items"), name, depth + 1));
            return array;
        }
        return validValue(name, schema);
    }

    /** A value that passes validation for a field, chosen by its name where the schema says only "string". */
    private JsonNode validValue(String name, JsonNode schema) {
        String type = schema.path("type").asString("string");
        switch (name) {
            case "amount":
                return NODES.numberNode(100 + random.nextInt(5_000));
            case "currency":
                return NODES.stringNode(random.nextInt(5) == 0 ? "eur" : "USD");
            case "email":
                return NODES.stringNode("fuzz@example.com");
            case "url":
                return NODES.stringNode("http://127.0.0.1:9/fuzz");
            case "due_date":
                return NODES.stringNode("2030-12-31");
            case "since":
                return NODES.stringNode("2026-01-01T00:00:00Z");
            case "rate_limit_per_minute":
                return NODES.numberNode(1_000);
            case "limit":
                return NODES.stringNode(Integer.toString(1 + random.nextInt(100)));
            case "payment_method":
                return NODES.stringNode("card");
            case "method":
                return NODES.stringNode(random.nextBoolean() ? "paypal" : "bank_transfer");
            case "capture_method":
                return NODES.stringNode("manual");
            case "exp_month":
                return NODES.numberNode(12);
            case "exp_year":
                return NODES.numberNode(2030);
            default:
                break;
        }
        if (name.endsWith("_id") || name.equals("starting_after") || name.equals("account")) {
            String collection = switch (name) {
                case "customer_id" -> "customers";
                case "invoice_id" -> "invoices";
                case "payment_id" -> "payments";
                case "payout_id" -> "payouts";
                case "settlement_id" -> "settlements";
                case "endpoint_id" -> "webhook-endpoints";
                case "event_id" -> "events";
                default -> "";
            };
            return NODES.stringNode(fixtures.getOrDefault(collection, "id_" + random.nextInt(1000)));
        }
        return switch (type) {
            case "integer" -> NODES.numberNode(1 + random.nextInt(1000));
            case "number" -> NODES.numberNode(1 + random.nextInt(1000));
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            default -> NODES.stringNode(schema.path("format").asString("").equals("date-time") ? "2026-01-01T00:00:00Z" : "fuzz " + name);
        };
    }

    private String fixtureFor(String pathTemplate, String parameter) {
        String[] segments = pathTemplate.split("/");
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].equals("{" + parameter + "}")) {
                return fixtures.getOrDefault(segments[i - 1], "x_" + random.nextInt(1000));
            }
        }
        return "x_" + random.nextInt(1000);
    }

    private static ObjectNode cardObject(String number, int month, int year) {
        return NODES.objectNode().put("number", number).put("exp_month", month).put("exp_year", year).put("cvc", "123").put("holder", "Fuzz");
    }

    static JsonNode resolve(JsonNode schema, JsonNode components) {
        JsonNode current = schema;
        for (int hops = 0; hops < 10 && current.has("$ref"); hops++) {
            String reference = current.path("$ref").asString();
            current = components.path("schemas").path(reference.substring(reference.lastIndexOf('/') + 1));
        }
        if (current.has("allOf") && current.path("allOf").size() == 1) {
            return resolve(current.path("allOf").get(0), components);
        }
        if (current.has("oneOf") && !current.path("oneOf").isEmpty()) {
            return resolve(current.path("oneOf").get(0), components);
        }
        return current;
    }

    private String pick(List<String> names, String otherwise) {
        return names.isEmpty() ? otherwise : names.get(random.nextInt(names.size()));
    }

    private static String repeat(String text, int times) {
        return text.repeat(times);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
