package dev.paystream.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering every service keeps (STYLE.md), checked by each service's own test with
 * {@code @ArchTest static final ArchTests layering = ArchTests.in(ServiceArchitectureRules.class);}
 * over its production classes:
 * <ul>
 *   <li>{@code domain} is plain Java: no Spring, Reactor, Jackson, R2DBC, Kafka, platform or contracts;</li>
 *   <li>{@code application} knows no adapter and no Spring;</li>
 *   <li>an adapter depends on no other adapter, except the contract mapper ({@code adapter.contract}),
 *       which maps to the public shapes both the web and the storage adapters show.</li>
 * </ul>
 * A service without such packages (the gateway is configuration and filters) passes trivially.
 */
public final class ServiceArchitectureRules {

    private ServiceArchitectureRules() {
    }

    @ArchTest
    public static final ArchRule domainIsPlainJava = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..", "tools.jackson..",
                    "com.fasterxml.jackson..", "io.r2dbc..", "io.micrometer..", "org.apache.kafka..", "dev.paystream.platform..",
                    "dev.paystream.events..")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule domainKnowsNoOuterLayer = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..application..", "..adapter..")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule applicationKnowsNoAdapter = noClasses().that().resideInAPackage("..application..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter..", "org.springframework..")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule adaptersDependOnNoOtherAdapterButTheContractMapper = slices().matching("..adapter.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(DescribedPredicate.alwaysTrue(), JavaClass.Predicates.resideInAPackage("..adapter.contract.."))
            .allowEmptyShould(true);
}
