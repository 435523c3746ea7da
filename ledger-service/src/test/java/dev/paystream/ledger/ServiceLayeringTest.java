package dev.paystream.ledger;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.paystream.testsupport.ServiceArchitectureRules;

/** The layering every service keeps ({@link ServiceArchitectureRules}); {@link ArchitectureTest} adds the ledger's own rules. */
@AnalyzeClasses(packages = "dev.paystream.ledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ServiceLayeringTest {

    @ArchTest
    static final ArchTests layering = ArchTests.in(ServiceArchitectureRules.class);
}
