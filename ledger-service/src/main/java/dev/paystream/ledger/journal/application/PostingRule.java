package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.EntrySubject;
import dev.paystream.ledger.journal.domain.Money;
import dev.paystream.platform.consumer.IncomingEvent;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How one version of one event type is posted. A rule that moves money reads the event's data as its
 * shared-events contract record and turns it into journal lines; the envelope fields every entry needs
 * are checked here once for all such rules.
 */
public final class PostingRule {

    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Za-z]{3}");

    private final String eventType;
    private final int version;
    private final EntrySubject.Kind about;
    private final Function<IncomingEvent, Posting> posting;

    private PostingRule(String eventType, int version, EntrySubject.Kind about, Function<IncomingEvent, Posting> posting) {
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.version = version;
        this.about = about;
        this.posting = posting;
    }

    /** An event that is recorded as processed and changes no balance. */
    public static PostingRule movesNoMoney(String eventType, int version, String why) {
        return new PostingRule(eventType, version, null, event -> new Posting.NoMoneyMoved(why));
    }

    /**
     * An event whose data, read as {@code contract}, gives the lines of one journal entry about the event's
     * aggregate, which is an object of kind {@code about} (a payment, a payout or a settlement).
     */
    public static <T> PostingRule movesMoney(String eventType, int version, EntrySubject.Kind about, Class<T> contract,
                                             Function<T, Posting> lines) {
        Objects.requireNonNull(about, "about");
        return new PostingRule(eventType, version, about, event -> {
            Optional<String> missing = missingEnvelopeField(event);
            if (missing.isPresent()) {
                return new Posting.Rejected(missing.get());
            }
            return event.data().as(contract)
                    .map(lines)
                    .orElseGet(() -> new Posting.Rejected("data is not a " + eventType + " v" + version + " payload"));
        });
    }

    /**
     * Validates an amount and a currency taken from an event, as CONTRACT §1 defines them, before a
     * rule builds lines from them. The currency is accepted in any case.
     */
    public static Posting withAmount(long amountMinor, String currencyCode, Function<Money, Posting> lines) {
        if (amountMinor <= 0) {
            return new Posting.Rejected("amount must be a positive integer");
        }
        return withCurrency(currencyCode, currency -> lines.apply(new Money(amountMinor, currency)));
    }

    /** Validates a currency taken from an event (an ISO-4217 code in any case) before a rule builds lines in it. */
    public static Posting withCurrency(String currencyCode, Function<Currency, Posting> lines) {
        Optional<Currency> currency = currency(currencyCode);
        if (currency.isEmpty()) {
            return new Posting.Rejected("currency must be an ISO-4217 code");
        }
        return lines.apply(currency.get());
    }

    public String eventType() {
        return eventType;
    }

    public int version() {
        return version;
    }

    public Posting post(IncomingEvent event) {
        return posting.apply(event);
    }

    /** What the entry of {@code event} is about: its aggregate, of the kind this rule names. Only for rules that move money. */
    public EntrySubject subjectOf(IncomingEvent event) {
        if (about == null) {
            throw new IllegalStateException(eventType + " v" + version + " moves no money: its events have no entry");
        }
        return new EntrySubject(about, event.aggregateId());
    }

    private static Optional<String> missingEnvelopeField(IncomingEvent event) {
        if (isBlank(event.aggregateId())) {
            return Optional.of("aggregate_id is missing");
        }
        if (isBlank(event.merchantId())) {
            return Optional.of("merchant_id is missing");
        }
        if (event.occurredAt() == null) {
            return Optional.of("occurred_at is missing or not an ISO-8601 timestamp");
        }
        return Optional.empty();
    }

    private static Optional<Currency> currency(String code) {
        if (code == null || !CURRENCY_CODE.matcher(code).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Currency.getInstance(code.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknownCode) {
            return Optional.empty();
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
