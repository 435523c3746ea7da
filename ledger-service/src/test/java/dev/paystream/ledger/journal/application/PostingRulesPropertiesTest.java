package dev.paystream.ledger.journal.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.paystream.ledger.journal.domain.AccountType;
import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalEntryId;
import dev.paystream.ledger.journal.domain.JournalLine;
import dev.paystream.ledger.journal.domain.NormalBalance;
import dev.paystream.ledger.support.MoneyLifecycles;
import dev.paystream.ledger.support.PropertyTries;
import dev.paystream.ledger.support.TestEvent;
import dev.paystream.platform.consumer.IncomingEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of the posting rules over random valid lives of money ({@link MoneyLifecycles}): captures,
 * partial refunds before and after settlement, batches with fees, payouts paid and failed, delivered in
 * random interleavings with records delivered again. Pure: the events are read from their JSON as the
 * consumer reads them and posted by the rules; a set of event ids stands for the journal's claims (the
 * journal's own once-only posting is {@code LedgerPropertiesIntegrationTest}'s, on PostgreSQL).
 */
class PostingRulesPropertiesTest {

    private static final int TRIES = 200;

    private final PostingRules rules = PostingRules.v1();

    @TestFactory
    Stream<DynamicTest> everyValidLifeBalancesAtEveryStepAndEndsWhereTheSimulationSaysTheMoneyIs() {
        return PropertyTries.seeds(TRIES).map(seed -> dynamicTest("seed " + seed, () -> check(seed)));
    }

    private void check(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MoneyLifecycles.Life life = MoneyLifecycles.life(random, 40);
        List<TestEvent> deliveries = MoneyLifecycles.deliveries(life.events(), random, 15);
        String trial = "seed " + seed;

        Set<String> claimed = new HashSet<>();
        // merchant/currency/account -> {debits, credits}
        Map<String, long[]> accounts = new HashMap<>();
        // currency -> {debits, credits} across every merchant
        Map<String, long[]> trialBalance = new HashMap<>();
        int entries = 0;
        for (TestEvent delivered : deliveries) {
            IncomingEvent event = delivered.incoming();
            if (!claimed.add(event.id())) {
                continue;
            }
            Posting posting = rules.post(event);
            assertThat(posting).as(trial + ": " + event.type()).isNotInstanceOf(Posting.Rejected.class);
            if (posting instanceof Posting.Lines lines) {
                // The domain refuses an entry that does not balance per currency.
                JournalEntry entry = new JournalEntry(new JournalEntryId("je_00000000000000000000000" + (entries % 10)), event.id(),
                        rules.subjectOf(event), event.merchantId(), event.occurredAt(), lines.lines());
                assertThat(entry.subject().id()).as(trial).isEqualTo(event.aggregateId());
                entries++;
                for (JournalLine line : entry.lines()) {
                    String currency = line.currency().getCurrencyCode();
                    add(accounts.computeIfAbsent(event.merchantId() + "/" + currency + "/" + line.account().code(), key -> new long[2]), line);
                    add(trialBalance.computeIfAbsent(currency, key -> new long[2]), line);
                }
            }
            trialBalance.forEach((currency, totals) -> assertThat(totals[0]).as(trial + ": trial balance in " + currency).isEqualTo(totals[1]));
        }

        assertThat(entries).as(trial + ": one entry per event that moves money").isEqualTo(life.movingMoney());
        life.figures().forEach((merchant, byCurrency) -> byCurrency.forEach((currency, figures) ->
                figures.byAccount().forEach((account, expected) -> assertThat(balance(accounts, merchant, currency, account))
                        .as(trial + ": " + account + " of " + merchant + " in " + currency).isEqualTo(expected))));
        accounts.keySet().forEach(key -> assertThat(life.figures().get(key.split("/")[0])).as(trial + ": " + key).isNotNull()
                .containsKey(key.split("/")[1]));
    }

    private static void add(long[] totals, JournalLine line) {
        totals[0] = Math.addExact(totals[0], line.debit());
        totals[1] = Math.addExact(totals[1], line.credit());
    }

    private static long balance(Map<String, long[]> accounts, String merchant, String currency, String account) {
        long[] totals = accounts.getOrDefault(merchant + "/" + currency + "/" + account, new long[2]);
        NormalBalance side = AccountType.fromCode(account).orElseThrow().normalBalance();
        return side == NormalBalance.DEBIT ? totals[0] - totals[1] : totals[1] - totals[0];
    }
}
