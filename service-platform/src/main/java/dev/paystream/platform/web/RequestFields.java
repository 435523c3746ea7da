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
        refuseWholeCardNumber(field, value);
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
            refuseWholeCardNumber(field, key);
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
     * shown again (a description, a name, metadata) would be both, so such a value is refused, without
     * quoting it. A card number is what card numbers look like when people write them — 13 to 19 digits
     * in one run, or in groups of four (4-4-4-4 and longer) or Amex's 4-6-5, separated by single spaces
     * or dashes — and passes the Luhn check. Other shapes are not taken for one: a digit run inside a
     * UUID (8-4-4-4-12) or a date is no card number, and refusing it would refuse a legitimate value at
     * random (a shared-platform test met one: "e2e-12345678-1234-0002-..." read as 16 digits).
     */
    static void refuseCardNumber(String field, String value) {
        if (holdsCardNumber(value)) {
            throw invalid(field, field + " may not hold a card number; card data goes in the card object only");
        }
    }

    /**
     * Identifiers and metadata keys are refused only when they are a card number as a whole: ids are
     * often numeric (an account number, "cus_" and digits), and one that merely contains a run of digits
     * passing the Luhn check (one in ten does) must not be refused.
     */
    static void refuseWholeCardNumber(String field, String value) {
        java.util.regex.Matcher card = CARD_NUMBER_CANDIDATE.matcher(value);
        if (card.matches() && passesLuhnCheck(digitsOf(card.group()))) {
            throw invalid(field, field + " may not be a card number; card data goes in the card object only");
        }
    }

    static boolean holdsCardNumber(String value) {
        return CARD_NUMBER_CANDIDATE.matcher(value).results().anyMatch(candidate -> passesLuhnCheck(digitsOf(candidate.group())));
    }

    /**
     * What a written card number looks like: 13 to 19 digits in one run; or groups of four separated by
     * the same single space or dash, the last group 1 to 7 digits (4-4-4-4, 4-4-4-4-3); or Amex's 4-6-5 —
     * standing apart: never glued to a letter or digit directly, to a digit across a space or dash, or to a
     * letter across a dash, so never part of a longer run of digits or groups, nor of a token such as a UUID (whose middle groups can be
     * all digits and whose last group can begin with some: "…-4242-4242-4242-4242abcdef01").
     */
    private static final java.util.regex.Pattern CARD_NUMBER_CANDIDATE = java.util.regex.Pattern.compile(
            "(?<![\\p{L}\\d])(?<!\\d[ -])(?<!\\p{L}-)(?:\\d{13,19}|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{1,7}|\\d{4}([ -])\\d{6}\\2\\d{5})"
                    + "(?![\\p{L}\\d])(?![ -]\\d)(?!-\\p{L})");

    /** {@code text} with every card number in it (as {@link #holdsCardNumber} finds them) replaced by {@code [card number]}. */
    public static String redactCardNumbers(String text) {
        if (text == null) {
            return null;
        }
        return CARD_NUMBER_CANDIDATE.matcher(text).replaceAll(candidate -> passesLuhnCheck(digitsOf(candidate.group()))
                ? "[card number]" : java.util.regex.Matcher.quoteReplacement(candidate.group()));
    }

    private static String digitsOf(String candidate) {
        return candidate.replace(" ", "").replace("-", "");
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
