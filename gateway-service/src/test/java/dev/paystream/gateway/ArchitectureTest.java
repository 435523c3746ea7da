package dev.paystream.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.paystream.testsupport.ServiceArchitectureRules;

/** The layering every service keeps: see {@link ServiceArchitectureRules}. */
@AnalyzeClasses(packages = "dev.paystream.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests layering = ArchTests.in(ServiceArchitectureRules.class);
}
