package dev.paystream.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The domain is plain Java, and dependencies point inwards: adapters to application to domain. */
class ArchitectureTest {

    private static final JavaClasses LEDGER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.paystream.ledger");

    @Test
    void theDomainDependsOnNoFrameworkAndNoInfrastructure() {
        noClasses().that().resideInAPackage("..journal.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "reactor..", "tools.jackson..", "com.fasterxml..",
                        "org.apache.kafka..", "io.r2dbc..", "io.micrometer..", "dev.paystream.platform..", "dev.paystream.events..")
                .check(LEDGER);
    }

    @Test
    void theDomainKnowsNothingOfTheLayersAroundIt() {
        noClasses().that().resideInAPackage("..journal.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("..journal.application..", "..journal.adapter..")
                .check(LEDGER);
    }

    @Test
    void theApplicationKnowsNoAdapterAndNoWireFormat() {
        noClasses().that().resideInAPackage("..journal.application..")
                .should().dependOnClassesThat().resideInAnyPackage("..journal.adapter..", "tools.jackson..", "org.apache.kafka..",
                        "org.springframework.web..", "org.springframework.kafka..")
                .check(LEDGER);
    }
}
