package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.RemoteReshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.verify.LastVerification;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verification_schedule rule's event, {"verify": {"repair": ...}}, into the resharder function: it stores a
 * verification of every shard unless one is still running, and the invocation holding the lease runs it. The
 * tests hold only their own operations in mind (counts before and after), so they pass in either order.
 */
@QuarkusTest
@TestProfile(Handler.Resharder.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class ResharderScheduledVerificationTest {

    @Inject
    Assembly assembly;

    @Inject
    OperationStore operations;

    @Test
    void aScheduledEventStartsOneVerificationOfEveryShardAndNoneWhileOneRuns() throws Exception {
        assembly.seededMaps();
        int before = verifications().size();

        // Another invocation holds the lease: the verification is stored, for the holder (or the next one) to run.
        long now = System.currentTimeMillis();
        assertThat(operations.lease("another-invocation", now, now + 60_000)).isTrue();
        String started;
        try {
            JsonPath first = invoke(verifyEvent(false));
            assertThat(first.getBoolean("ran")).isFalse();
            started = first.getString("verification");
            assertThat(started).isNotNull();
            Operation stored = operations.get(started).orElseThrow();
            assertThat(stored.kind()).isEqualTo(OperationKind.VERIFY);
            assertThat(stored.state()).isEqualTo(OperationState.VERIFYING);
            assertThat(stored.result().repair()).isFalse();
            assertThat(stored.sources()).extracting(ShardEntry::id).containsExactlyElementsOf(mapShards());

            JsonPath second = invoke(verifyEvent(false));
            assertThat(second.getBoolean("ran")).isFalse();
            assertThat(second.getString("verification")).as("none while one is verifying").isNull();
            assertThat(verifications()).hasSize(before + 1);
        } finally {
            operations.unlease("another-invocation");
        }

        // A plain scheduled event starts none, and runs the stored one to its end.
        given().contentType("application/json").body(scheduledEvent()).when().post()
                .then().statusCode(200).body("ran", equalTo(true)).body("unfinished", equalTo(0))
                .body("verification", nullValue());
        Operation done = operations.get(started).orElseThrow();
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
        assertThat(verifications()).hasSize(before + 1);
        List<String> replicas = mapShards().stream()
                .flatMap(id -> DynamoDbLocalResource.TOPOLOGY.replicaTables(id).stream()).toList();
        Map<String, LastVerification> last = assembly.verifications().last(replicas);
        assertThat(last).containsOnlyKeys(replicas);
        assertThat(last.values()).allSatisfy(v -> assertThat(v.operation()).isEqualTo(started));

        // With the lease free, the invocation that stores it runs it, with the event's repair flag.
        JsonPath repairing = invoke(verifyEvent(true));
        assertThat(repairing.getBoolean("ran")).isTrue();
        assertThat(repairing.getInt("unfinished")).isZero();
        String next = repairing.getString("verification");
        assertThat(next).isNotNull().isNotEqualTo(started);
        Operation repaired = operations.get(next).orElseThrow();
        assertThat(repaired.state()).as(String.valueOf(repaired.error())).isEqualTo(OperationState.DONE);
        assertThat(repaired.result().repair()).isTrue();
        assertThat(verifications()).hasSize(before + 2);
    }

    @Test
    void aScheduledVerificationASplitBlocksIsSkippedAndTheSplitStillRuns() throws Exception {
        assembly.seededMaps();
        int before = verifications().size();
        RemoteReshards admin = new RemoteReshards(DynamoDbLocalResource.TOPOLOGY, assembly.control(), operations,
                () -> { }, Clock.systemUTC(), Duration.ofSeconds(1));
        Operation split = admin.split(new SplitRequest("a-l", "g", null));

        // Every shard's verification needs a-l, which the split holds: 409 operation-conflict, logged, skipped.
        given().contentType("application/json").body(verifyEvent(false)).when().post()
                .then().statusCode(200).body("ran", equalTo(true)).body("unfinished", equalTo(0))
                .body("verification", nullValue());

        assertThat(verifications()).hasSize(before);
        Operation done = admin.get(split.id());
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
    }

    private List<Operation> verifications() {
        return operations.list().stream().filter(o -> o.kind() == OperationKind.VERIFY).toList();
    }

    private List<String> mapShards() {
        ShardMap map = assembly.control().loadShardMap().orElseThrow();
        return map.shards().stream().map(ShardEntry::id).toList();
    }

    private static JsonPath invoke(String event) {
        return given().contentType("application/json").body(event).when().post()
                .then().statusCode(200).extract().jsonPath();
    }

    /** What the verification_schedule rule sends: its constant input, not a scheduled event. */
    private static String verifyEvent(boolean repair) {
        return "{\"verify\": {\"repair\": " + repair + "}}";
    }

    private String scheduledEvent() throws Exception {
        return new String(getClass().getResourceAsStream("/events/scheduled-event.json").readAllBytes(),
                StandardCharsets.UTF_8);
    }
}
