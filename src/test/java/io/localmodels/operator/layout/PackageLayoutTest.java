package io.localmodels.operator.layout;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.api.RouterPhase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout a newcomer relies on, read from the main sources: no package cycles, the leaf packages stay leaves, and
 * the circuit and phase names are spelled only in their types. Reads imports and fully qualified names (a small
 * parser instead of an architecture library: this is all it needs).
 */
class PackageLayoutTest {

    private static final Path MAIN = Path.of("src/main/java/io/localmodels/operator");
    private static final Pattern REFERENCE = Pattern.compile("io\\.localmodels\\.operator\\.([a-z]+)\\.[A-Z]");

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Set<String>> uses = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            findCycle(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>()).ifPresent(cycles::add);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void sharedPackagesAreLeaves() {
        Map<String, Set<String>> uses = dependencies();
        // api: the CRD contract; config: settings; kube: write helpers; status: conditions, events, status writes
        assertThat(uses.get("api")).as("api uses").isEmpty();
        assertThat(uses.get("config")).as("config uses").isEmpty();
        assertThat(uses.get("kube")).as("kube uses").isSubsetOf("api");
        assertThat(uses.get("status")).as("status uses").isEmpty();
        // only the wiring and the command line know the wiring
        uses.forEach((pkg, used) -> {
            if (!pkg.equals("cli") && !pkg.equals("runtime")) {
                assertThat(used).as(pkg + " uses").doesNotContain("runtime", "cli");
            }
        });
    }

    @Test
    void circuitAndPhaseNamesAreSpelledOnlyInTheirTypes() throws IOException {
        // the same words name other facts: condition types, a pull reason, the ModelLoaded reason, the model gate's
        // reason, a pod condition, a claim's phase, columns
        Set<String> otherFacts = Set.of(
                "model/LocalModelStatusFactory.java:\"Ready\"",
                "model/LocalModelStatusFactory.java:\"Pulling\"",
                "model/ModelReadyGate.java:\"Pulling\"",
                "model/ReplicaObservation.java:\"Ready\"",
                "model/PodUpdates.java:\"Ready\"",
                "model/WorkloadEvents.java:\"Pending\"",
                "router/ModelRouterStatusFactory.java:\"Degraded\"",
                "api/LocalModel.java:\"Ready\"",
                "api/ModelRouter.java:\"Ready\"",
                "crd/PrinterColumnOrder.java:\"Ready\"");
        Set<String> names = new TreeSet<>();
        Arrays.stream(CircuitState.values()).map(CircuitState::value).forEach(names::add);
        Arrays.stream(Phase.values()).map(Phase::value).forEach(names::add);
        Arrays.stream(RouterPhase.values()).map(RouterPhase::value).forEach(names::add);
        Set<String> owners = Set.of("api/CircuitState.java", "api/Phase.java", "api/RouterPhase.java");
        List<String> found = new ArrayList<>();
        for (Path file : sources()) {
            String name = MAIN.relativize(file).toString();
            if (owners.contains(name)) {
                continue;
            }
            String text = Files.readString(file);
            for (String n : names) {
                String literal = "\"" + n + "\"";
                if (text.contains(literal) && !otherFacts.contains(name + ":" + literal)) {
                    found.add(name + ": " + literal);
                }
            }
        }
        assertThat(found).isEmpty();
    }

    private static java.util.Optional<String> findCycle(String start, String at, Map<String, Set<String>> uses,
                                                        List<String> path, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                return java.util.Optional.of(String.join(" → ", path) + " → " + start);
            }
            if (seen.add(next)) {
                path.add(next);
                var found = findCycle(start, next, uses, path, seen);
                if (found.isPresent()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return java.util.Optional.empty();
    }

    /** Package → the other packages of the operator it refers to. */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path file : sources()) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
            try {
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return uses;
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
