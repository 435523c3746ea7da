package dev.paystream.platform.web;

import java.util.Map;

/**
 * Checks of request fields every service applies the same way (CONTRACT §1, §4), each failing with a
 * 422 problem naming the field. Text may not hold control characters: a NUL cannot be stored at all
 * (PostgreSQL refuses it, and did so after the card was authorized), and the others in an id or a
 * description only ever hide what a value really is. Tabs and line breaks are allowed in free text.
 */
public final class RequestFields {

    /** CONTRACT §4: metadata has at most this many keys... */
    public static final int METADATA_KEYS_MAX = 50;
    /** ...each key at most this many characters... */
    public static final int METADATA_KEY_LENGTH_MAX = 40;
    /** ...and each value a string of at most this many characters. */
    public static final int METADATA_VALUE_LENGTH_MAX = 500;

    private RequestFields() {
    }

    /** An identifier such as a customer id: no control characters at all, at most {@code lengthMax} characters. */
    public static String identifier(String field, String value, int lengthMax) {
        if (value == null) {
            return null;
        }
        checkLength(field, value, lengthMax);
        if (value.isEmpty() || value.chars().anyMatch(RequestFields::isControl)) {
            throw invalid(field, field + " must be non-empty and hold no control characters");
        }
        refuseCardNumber(field, value);
        return value;
    }

    /** Free text such as a description: no control characters but tab and line breaks, at most {@code lengthMax} characters. */
    public static String text(String field, String value, int lengthMax) {
        if (value == null) {
            return null;
        }
        checkLength(field, value, lengthMax);
        if (value.chars().anyMatch(c -> isControl(c) && c != '\t' && c != '\n' && c != '\r')) {
            throw invalid(field, field + " may hold no control characters other than tab and line breaks");
        }
        refuseCardNumber(field, value);
        return value;
    }

    /**
     * Metadata (CONTRACT §4): at most {@value #METADATA_KEYS_MAX} keys of at most
     * {@value #METADATA_KEY_LENGTH_MAX} characters, string values of at most
     * {@value #METADATA_VALUE_LENGTH_MAX}. {@code nullValuesAllowed} for a patch, where null removes a key.
     */
    public static Map<String, String> metadata(String field, Map<String, String> metadata, boolean nullValuesAllowed) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > METADATA_KEYS_MAX) {
            throw invalid(field, field + " may hold at most " + METADATA_KEYS_MAX + " keys");
        }
        metadata.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > METADATA_KEY_LENGTH_MAX || key.chars().anyMatch(RequestFields::isControl)) {
                throw invalid(field, field + " keys are 1 to " + METADATA_KEY_LENGTH_MAX + " characters without control characters");
            }
            refuseCardNumber(field, key);
            if (value == null && !nullValuesAllowed) {
                throw invalid(field, field + " values must be strings");
            }
            if (value != null) {
                text(field, value, METADATA_VALUE_LENGTH_MAX);
            }
        });
        return metadata;
    }

    /**
     * CONTRACT §5: a card number is never stored or returned. One sent in a field that is stored and
     * shown again (a description, a name, metadata, an id) would be both, so such a value is refused,
     * without quoting it: 13 to 19 digits, alone or in groups separated by single spaces or dashes,
     * that pass the Luhn check, as PCI DSS scanners look for them.
     */
    static void refuseCardNumber(String field, String value) {
        if (holdsCardNumber(value)) {
            throw invalid(field, field + " may not hold a card number; card data goes in the card object only");
        }
    }

    static boolean holdsCardNumber(String value) {
        int length = value.length();
        for (int start = 0; start < length; start++) {
            if (!isDigit(value.charAt(start)) || (start > 0 && isDigit(value.charAt(start - 1)))) {
                continue;
            }
            // The digits from here, skipping single separators between digits, checked at every length 13..19.
            StringBuilder digits = new StringBuilder(19);
            for (int i = start; i < length && digits.length() < 19; i++) {
                char c = value.charAt(i);
                if (isDigit(c)) {
                    digits.append(c);
                    if (digits.length() >= 13 && (i + 1 == length || !isDigit(value.charAt(i + 1))) && passesLuhnCheck(digits)) {
                        return true;
                    }
                } else if (!((c == ' ' || c == '-') && i + 1 < length && isDigit(value.charAt(i + 1)) && isDigit(value.charAt(i - 1)))) {
                    break;
                }
            }
        }
        return false;
    }

    /** 13 to 19 digits, alone or grouped by single spaces or dashes, not part of a longer run of digits. */
    private static final java.util.regex.Pattern CARD_NUMBER_CANDIDATE = java.util.regex.Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

    /** {@code text} with every card number in it (as {@link #holdsCardNumber} finds them) replaced by {@code [card number]}. */
    public static String redactCardNumbers(String text) {
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher candidates = CARD_NUMBER_CANDIDATE.matcher(text);
        StringBuilder redacted = new StringBuilder();
        while (candidates.find()) {
            String digits = candidates.group().replace(" ", "").replace("-", "");
            candidates.appendReplacement(redacted, passesLuhnCheck(digits) ? "[card number]" : candidates.group());
        }
        candidates.appendTail(redacted);
        return redacted.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean passesLuhnCheck(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static void checkLength(String field, String value, int lengthMax) {
        if (value.length() > lengthMax) {
            throw invalid(field, field + " must be at most " + lengthMax + " characters");
        }
    }

    private static boolean isControl(int c) {
        return Character.getType(c) == Character.CONTROL;
    }

    private static ProblemException invalid(String field, String detail) {
        return Problem.invalidField(field, detail).toException();
    }
}
