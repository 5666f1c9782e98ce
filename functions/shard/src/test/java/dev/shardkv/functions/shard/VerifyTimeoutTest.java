package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.RemoteReshards;
import dev.shardkv.core.reshard.VerifyRequest;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.verify.VerifyReport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A verification of a replica longer than one resharder invocation: each invocation compares it for a second,
 * stops, and saves how far it got (the segments compared, their findings); the next goes on from there, so it
 * ends, and compares each key once.
 */
@QuarkusTest
@TestProfile(Handler.ShortResharder.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class VerifyTimeoutTest {
    private static final int KEYS = 1_500;

    @Inject
    Assembly assembly;

    @Inject
    OperationStore operations;

    @Test
    void aReplicaLongerThanAnInvocationToVerifyIsFinishedByTheNext() throws Exception {
        assembly.seededMaps(); // as the deployment's first apply does
        for (int i = 0; i < KEYS; i++) { // on the leader only: every key is missing on the replicas
            assembly.leader("m-s").put((char) ('m' + i % 6) + "-v-" + i, "{\"i\":" + i + "}", 1_000 + i,
                    Precondition.NONE);
        }
        RemoteReshards admin = new RemoteReshards(DynamoDbLocalResource.TOPOLOGY, assembly.control(), operations,
                () -> { }, Clock.systemUTC(), Duration.ofSeconds(1));
        Operation started = admin.verify(new VerifyRequest("m-s", false));

        List<Integer> unfinished = new ArrayList<>();
        List<Long> compared = new ArrayList<>();
        while (unfinished.isEmpty() || unfinished.getLast() > 0) {
            assertThat(unfinished).as("bounded: it ends within 40 invocations").hasSizeLessThan(40);
            JsonPath answer = given().contentType("application/json").body(scheduledEvent())
                    .when().post().then().statusCode(200).extract().jsonPath();
            assertThat(answer.getBoolean("ran")).isTrue();
            unfinished.add(answer.getInt("unfinished"));
            compared.add(admin.get(started.id()).progress().copied());
        }

        Operation done = admin.get(started.id());
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
        List<VerifyReport> reports = done.result().replicas();
        assertThat(reports).hasSize(2);
        assertThat(unfinished.size()).as("invocations: " + unfinished + ", keys compared after each: " + compared)
                .isGreaterThan(reports.size());
        for (VerifyReport report : reports) {
            // No replicator runs here, so a replica has no watermark: its absent keys count as in flight.
            assertThat(report.missing() + report.inFlight()).as(report.replica() + ": every key once, none twice")
                    .isEqualTo(KEYS);
            assertThat(report.compared()).isEqualTo(KEYS);
        }
        assertThat(done.resume().replicaChecks()).as("nothing left to resume").isEmpty();
    }

    private String scheduledEvent() throws Exception {
        return new String(getClass().getResourceAsStream("/events/scheduled-event.json").readAllBytes(),
                StandardCharsets.UTF_8);
    }
}
