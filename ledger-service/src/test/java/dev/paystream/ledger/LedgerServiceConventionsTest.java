package dev.paystream.ledger;

import dev.paystream.testsupport.ServiceConventionsTest;

class LedgerServiceConventionsTest extends ServiceConventionsTest implements LedgerTestInfrastructure {

    @Override
    protected String aV1Path() {
        return "/v1/ledger/balances";
    }
}
