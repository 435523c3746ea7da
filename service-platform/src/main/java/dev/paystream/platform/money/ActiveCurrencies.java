package dev.paystream.platform.money;

import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The currencies money may be in (CONTRACT §1): the ISO 4217 codes of currencies in circulation.
 * {@link Currency} also knows codes that are not money one can be paid in — test ({@code XTS}), no
 * currency ({@code XXX}), precious metals ({@code XAU}), fund and accounting units ({@code XDR},
 * {@code CLF}) — and withdrawn ones ({@code ZWD}, {@code HRK}, {@code BGN}); those are refused.
 * A code is active when it is listed here and the running JDK knows its minor unit.
 */
public final class ActiveCurrencies {

    /** ISO 4217, list one, as of late 2026: circulating currencies only. */
    private static final Set<String> CIRCULATING = Stream.of("""
            AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
            CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
            HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
            LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP
            PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
            TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
            """.split("\\s+")).filter(code -> !code.isEmpty()).collect(Collectors.toUnmodifiableSet());

    private ActiveCurrencies() {
    }

    /** The active currency of {@code code} (in any case), or empty when it is not one. */
    public static Optional<Currency> of(String code) {
        if (code == null || !code.matches("[A-Za-z]{3}")) {
            return Optional.empty();
        }
        String upper = code.toUpperCase(Locale.ROOT);
        if (!CIRCULATING.contains(upper)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Currency.getInstance(upper));
        } catch (IllegalArgumentException unknownToThisJdk) {
            return Optional.empty();
        }
    }
}
