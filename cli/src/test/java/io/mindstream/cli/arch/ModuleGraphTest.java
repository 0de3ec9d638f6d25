package io.mindstream.cli.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.mindstream.ingest.archfixture.ReachesIntoTheCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module graph of docs/architecture.md, checked over the compiled main classes of every module: a module imports
 * only the modules below it, and no stage imports the broker or picocli (commands live in the CLI).
 */
class ModuleGraphTest {

    /** Each module's root package and the modules' root packages it may import (besides its own). */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("io.mindstream.contracts", Set.of());
        ALLOWED.put("io.mindstream.lsl4j", Set.of());
        ALLOWED.put("io.mindstream.formats", Set.of());
        ALLOWED.put("io.mindstream.browser", Set.of());
        ALLOWED.put("io.mindstream.runtime", Set.of("io.mindstream.contracts"));
        ALLOWED.put("io.mindstream.journal", Set.of("io.mindstream.contracts", "io.mindstream.runtime"));
        ALLOWED.put("io.mindstream.simulator", Set.of("io.mindstream.contracts", "io.mindstream.lsl4j",
                "io.mindstream.formats"));
        ALLOWED.put("io.mindstream.kafka", Set.of("io.mindstream.contracts", "io.mindstream.runtime"));
        ALLOWED.put("io.mindstream.ingest", Set.of("io.mindstream.contracts", "io.mindstream.runtime",
                "io.mindstream.lsl4j", "io.mindstream.journal", "io.mindstream.formats"));
        ALLOWED.put("io.mindstream.processor", Set.of("io.mindstream.contracts", "io.mindstream.runtime",
                "io.mindstream.lsl4j", "io.mindstream.journal", "io.mindstream.formats"));
        ALLOWED.put("io.mindstream.decoder", Set.of("io.mindstream.contracts", "io.mindstream.runtime",
                "io.mindstream.lsl4j"));
        ALLOWED.put("io.mindstream.display", Set.of("io.mindstream.contracts", "io.mindstream.runtime"));
        ALLOWED.put("io.mindstream.cli", Set.of("io.mindstream.contracts", "io.mindstream.runtime",
                "io.mindstream.lsl4j", "io.mindstream.formats", "io.mindstream.journal", "io.mindstream.simulator",
                "io.mindstream.kafka", "io.mindstream.ingest", "io.mindstream.processor", "io.mindstream.decoder",
                "io.mindstream.display"));
    }

    /** The stages and the libraries under them: none may touch the broker or the command line. */
    static final List<String> STAGES = List.of("io.mindstream.contracts", "io.mindstream.runtime",
            "io.mindstream.formats", "io.mindstream.journal", "io.mindstream.simulator", "io.mindstream.ingest",
            "io.mindstream.processor", "io.mindstream.decoder", "io.mindstream.display");

    /** The embedded broker and Kafka's server side (the client, Streams and admin packages are allowed). */
    static final String[] BROKER = {"io.mindstream.kafka..", "kafka..", "org.apache.kafka.server..",
            "org.apache.kafka.controller..", "org.apache.kafka.raft..", "org.apache.kafka.metadata..",
            "org.apache.kafka.storage..", "org.apache.kafka.image.."};

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mindstream");
    }

    /** Every rule; one that finds no class to check passes (each module's presence is asserted separately). */
    static List<ArchRule> rules() {
        List<ArchRule> rules = new ArrayList<>();
        ALLOWED.forEach((module, allowed) -> {
            String[] forbidden = ALLOWED.keySet().stream().filter(m -> !m.equals(module) && !allowed.contains(m))
                    .map(m -> m + "..").toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(module + "..").should().dependOnClassesThat()
                    .resideInAnyPackage(forbidden)
                    .because(module + " may import only " + allowed + " (docs/architecture.md, Modules)")
                    .allowEmptyShould(true));
        });
        String[] stages = STAGES.stream().map(s -> s + "..").toArray(String[]::new);
        rules.add(noClasses().that().resideInAnyPackage(stages).should().dependOnClassesThat()
                .resideInAnyPackage(BROKER).because("a stage never starts or links a broker; the CLI chooses one")
                .allowEmptyShould(true));
        rules.add(noClasses().that().resideInAnyPackage(stages).should().dependOnClassesThat()
                .resideInAPackage("picocli..").because("stages are libraries: commands live in the CLI")
                .allowEmptyShould(true));
        return rules;
    }

    @Test
    void everyModuleImportsOnlyTheModulesBelowItAndNoStageTheBroker() {
        for (String module : ALLOWED.keySet()) {
            assertTrue(main.stream().anyMatch(c -> c.getPackageName().startsWith(module)),
                    "no main class of " + module + " on the class path: the rule would check nothing");
        }
        List<String> violations = new ArrayList<>();
        for (ArchRule rule : rules()) {
            EvaluationResult r = rule.evaluate(main);
            if (r.hasViolation()) {
                violations.addAll(r.getFailureReport().getDetails());
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    @Test
    void aStageClassThatImportsTheCliOrTheBrokerIsCaught() {
        JavaClasses bad = new ClassFileImporter().importClasses(ReachesIntoTheCli.class);
        List<String> caught = new ArrayList<>();
        for (ArchRule rule : rules()) {
            EvaluationResult r = rule.evaluate(bad);
            if (r.hasViolation()) {
                caught.addAll(r.getFailureReport().getDetails());
            }
        }
        assertFalse(caught.isEmpty());
        assertTrue(caught.stream().anyMatch(d -> d.contains("io.mindstream.cli.options.BrokerOptions")), caught.toString());
        assertTrue(caught.stream().anyMatch(d -> d.contains("io.mindstream.kafka.EmbeddedKafka")), caught.toString());
    }
}
