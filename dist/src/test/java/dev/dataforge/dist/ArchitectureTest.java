package dev.dataforge.dist;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module floors of {@code ARCHITECTURE.md}, checked on the shipped classes of every module: the codec, the
 * connector contract, the journal and tuning never import the engine (core); the engine never imports a connector;
 * a connector never imports the engine; the contract stands on the codec alone. Inside the engine the three layers
 * (ingestion, processing, delivery) and the built-in connectors sit below the runtime that wires them.
 */
class ArchitectureTest
{
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses()
    {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dataforge");
    }

    private static void check(final ArchRule rule)
    {
        rule.check(classes);
    }

    @Test
    void theLowerFloorsNeverImportTheEngine()
    {
        check(noClasses().that().resideInAnyPackage("dev.dataforge.codec..", "dev.dataforge.api..",
            "dev.dataforge.journal..", "dev.dataforge.tuning..")
            .should().dependOnClassesThat().resideInAPackage("dev.dataforge.core..")
            .because("codec, the connector contract, the journal and tuning sit below the engine"));
    }

    @Test
    void theContractStandsOnTheCodecAlone()
    {
        check(noClasses().that().resideInAPackage("dev.dataforge.api..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dataforge.connectors..",
                "dev.dataforge.journal..", "dev.dataforge.tuning..", "com.lmax..", "com.fasterxml..")
            .because("the connector contract depends on the codec only"));
        check(noClasses().that().resideInAPackage("dev.dataforge.codec..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dataforge.api..", "dev.dataforge.connectors..")
            .because("the codec is the lowest floor"));
    }

    @Test
    void theEngineNeverImportsAConnector()
    {
        check(noClasses().that().resideInAPackage("dev.dataforge.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.dataforge.connectors..")
            .because("connectors are found with ServiceLoader through the contract"));
    }

    @Test
    void connectorsImportNothingOfTheEngine()
    {
        check(noClasses().that().resideInAPackage("dev.dataforge.connectors..")
            .should().dependOnClassesThat().resideInAPackage("dev.dataforge.core..")
            .because("a connector sees the contract (dev.dataforge.api) and nothing of the engine"));
    }

    @Test
    void builtInConnectorsUseTheContractLikeAnyOther()
    {
        check(noClasses().that().resideInAPackage("dev.dataforge.core.builtin..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dataforge.core.runtime..",
                "dev.dataforge.core.ingestion..", "dev.dataforge.core.processing..", "dev.dataforge.core.delivery..",
                "dev.dataforge.core.ring..", "dev.dataforge.core.pipeline..", "dev.dataforge.core.metrics..",
                "dev.dataforge.core.config..")
            .because("the generator, file and blackhole connectors implement the contract and nothing else"));
    }

    @Test
    void theLayersSitBelowTheRuntimeThatWiresThem()
    {
        check(noClasses().that().resideInAnyPackage("dev.dataforge.core.ingestion..",
            "dev.dataforge.core.processing..", "dev.dataforge.core.delivery..", "dev.dataforge.core.ring..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dataforge.core.runtime..",
                "dev.dataforge.core.cli..")
            .because("the runtime wires the layers; data flows one way"));
        check(noClasses().that().resideInAPackage("dev.dataforge.core.ingestion..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dataforge.core.processing..",
                "dev.dataforge.core.delivery..").because("ingestion comes first"));
        check(noClasses().that().resideInAPackage("dev.dataforge.core.processing..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dataforge.core.ingestion..",
                "dev.dataforge.core.delivery..").because("processing knows neither the source nor the sinks"));
        check(noClasses().that().resideInAPackage("dev.dataforge.core.delivery..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dataforge.core.ingestion..",
                "dev.dataforge.core.processing..").because("delivery takes what processing settled"));
    }
}
