package dev.shardkv.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds {@link Topology#parse} to the table of topology cases (src/test/resources/topology-cases.json)
 * that Terraform's topology rules are held to as well (terraform/tests/topology_cases.tftest.hcl).
 */
class TopologyCasesTest {
    static final String TABLE = "topology-cases.json";
    static final ObjectMapper JSON = new ObjectMapper();

    record Case(String name, boolean valid, String reason, JsonNode topology) {
    }

    static List<Case> table() {
        try (InputStream in = TopologyCasesTest.class.getClassLoader().getResourceAsStream(TABLE)) {
            JsonNode cases = JSON.readTree(in).get("cases");
            return StreamSupport.stream(cases.spliterator(), false)
                    .map(c -> new Case(c.get("name").textValue(), c.get("valid").booleanValue(),
                            c.get("reason").textValue(), c.get("topology")))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TABLE, e);
        }
    }

    static Stream<Named<Case>> cases() {
        return table().stream().map(c -> Named.of(c.name() + (c.valid() ? " (valid)" : " (refused)"), c));
    }

    static Stream<Named<Case>> validCases() {
        return cases().filter(c -> c.getPayload().valid());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseIsDecidedAsTheTableSays(Case c) {
        String json = c.topology().toString();
        if (c.valid()) {
            assertThatCode(() -> Topology.parse(json)).as(c.reason()).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Topology.parse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("topology is not valid: ")
                    .hasMessageContaining(c.reason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validCasesSurviveTheRoundTrip(Case c) {
        Topology t = Topology.parse(c.topology().toString());
        assertThat(Topology.parse(t.toJson())).isEqualTo(t);
    }

    /** The arithmetic in TopologyRules' comment, checked on every valid case (longest-names is the worst). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void everyDerivedNameFitsAwsLimits(Case c) {
        Topology t = Topology.parse(c.topology().toString());
        List<String> tables = new ArrayList<>(List.of(t.controlTable()));
        List<String> functions = new ArrayList<>(List.of(t.gatewayFunction(), t.heartbeatFunction(), t.coordinatorFunction(),
                t.resharderFunction()));
        List<String> queues = new ArrayList<>();
        for (ShardSpec s : Stream.concat(t.shards().stream(), t.staged().stream()).toList()) {
            tables.add(t.leaderTable(s.id()));
            tables.addAll(t.replicaTables(s.id()));
            functions.addAll(List.of(t.writerFunction(s.id()), t.readerFunction(s.id()), t.replicatorFunction(s.id())));
            queues.add(t.replicatorFunction(s.id()) + "-dlq");
        }
        assertThat(tables).as("DynamoDB table names").allMatch(n -> n.matches("[a-zA-Z0-9_.-]{3,255}"));
        // Lambda function names and IAM role names (each function's role has its name): 64.
        assertThat(functions).as("function and role names").allMatch(n -> n.matches("[a-zA-Z0-9_-]{1,64}"));
        assertThat(functions).as("role policy names").allMatch(n -> (n + "-least-privilege").length() <= 128);
        assertThat(queues).as("SQS queue names").allMatch(n -> n.matches("[a-zA-Z0-9_-]{1,80}"));
        assertThat(t.prefix() + "-api").as("HTTP API name").hasSizeLessThanOrEqualTo(128);
    }

    @Test
    void theTableIsWellFormed() {
        List<Case> table = table();
        Set<String> names = new HashSet<>();
        for (Case c : table) {
            assertThat(c.name()).as("case name").matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(names.add(c.name())).as("case name %s is unique", c.name()).isTrue();
            assertThat(c.reason()).as("reason of %s", c.name()).isNotBlank();
            assertThat(c.topology()).as("topology of %s", c.name()).isNotNull();
        }
        assertThat(table).anyMatch(Case::valid).anyMatch(c -> !c.valid());
        assertThat(table).as("the case the table was made for")
                .anyMatch(c -> !c.valid() && "1kv".equals(c.topology().path("prefix").textValue()));
    }

    static Stream<Path> repositoryTopologies() throws IOException {
        Path repository = Path.of("..");
        List<Path> bench;
        try (Stream<Path> files = Files.list(repository.resolve("infra/tools/bench/topologies"))) {
            bench = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertThat(bench).as("bench topologies").isNotEmpty();
        return Stream.concat(Stream.of(repository.resolve("topology.json")), bench.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repositoryTopologies")
    void theRepositorysTopologiesAreValid(Path file) {
        assertThatCode(() -> Topology.load(file)).doesNotThrowAnyException();
    }
}
