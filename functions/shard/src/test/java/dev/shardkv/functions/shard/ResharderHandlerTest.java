package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.equalTo;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.RemoteReshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.reshard.VerifyRequest;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.verify.LastVerification;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The resharder function as AWS runs it: the admin side (the gateway's {@link RemoteReshards}) stores a split
 * and wakes it; an invocation, started with the scheduled event EventBridge sends, runs the split over the
 * tables Terraform made for the topology's staged shards, reading the source's stream with the Streams API,
 * and publishes the next map. Nothing here is in-process of the embedded runtime: DynamoDB Local over HTTP.
 */
@QuarkusTest
@TestProfile(Handler.Resharder.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class ResharderHandlerTest {
    private static final Topology TOPOLOGY = DynamoDbLocalResource.TOPOLOGY;

    @Inject
    Assembly assembly;

    @Inject
    OperationStore operations;

    @Test
    void aStoredSplitRunsInTheFunctionAndPublishesTheNextMap() throws Exception {
        ShardMap before = assembly.seededMaps().current();
        List<String> keys = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy");
        for (String key : keys) {
            assertThat(assembly.leader("a-l").put(key, "{\"n\":1}", System.currentTimeMillis(), Precondition.NONE))
                    .isInstanceOf(WriteOutcome.Written.class);
        }
        AtomicInteger wakes = new AtomicInteger();
        RemoteReshards admin = new RemoteReshards(TOPOLOGY, assembly.control(), operations, wakes::incrementAndGet,
                Clock.systemUTC(), Duration.ofSeconds(1));

        Operation started = admin.split(new SplitRequest("a-l", "g", null));
        assertThat(wakes).hasValue(1);

        given().contentType("application/json").body(scheduledEvent())
                .when().post()
                .then().statusCode(200)
                .body("ran", equalTo(true))
                .body("unfinished", equalTo(0));

        Operation done = admin.get(started.id());
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
        ShardMap after = assembly.control().loadShardMap().orElseThrow();
        assertThat(after.epoch()).isEqualTo(before.epoch() + 1);
        assertThat(after.shards()).extracting(ShardEntry::id).containsExactly("a-f", "g-l", "m-s", "t-z");
        for (String key : keys) {
            ShardEntry owner = after.route(key);
            assertThat(assembly.leader(owner).get(key)).as(key + " on " + owner.id()).isPresent();
        }
        assertThat(Fence.read(assembly.leader("a-l")).frozen()).as("the source stays frozen").isTrue();
    }

    @Test
    void aVerificationRunsInTheFunctionAndLeavesEachReplicasLastVerificationInTheControlTable() throws Exception {
        assembly.seededMaps();
        RemoteReshards admin = new RemoteReshards(TOPOLOGY, assembly.control(), operations, () -> { },
                Clock.systemUTC(), Duration.ofSeconds(1));
        Operation started = admin.verify(new VerifyRequest("m-s", false));

        given().contentType("application/json").body(scheduledEvent())
                .when().post()
                .then().statusCode(200)
                .body("ran", equalTo(true));

        Operation done = admin.get(started.id());
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
        List<String> replicas = TOPOLOGY.replicaTables("m-s");
        Map<String, LastVerification> last = assembly.verifications().last(replicas);
        assertThat(last).containsOnlyKeys(replicas);
        assertThat(last.values()).allSatisfy(v -> {
            assertThat(v.operation()).isEqualTo(started.id());
            assertThat(v.divergent()).isFalse();
        });
    }

    @Test
    void aSplitOfShardsTerraformHasNotMadeIsRefusedBeforeAnythingIsStored() {
        RemoteReshards admin = new RemoteReshards(TOPOLOGY, assembly.control(), operations, () -> { },
                Clock.systemUTC(), Duration.ofSeconds(1));
        assembly.seededMaps();
        int before = operations.list().size();
        assertThat(catchThrowable(() -> admin.split(new SplitRequest("t-z", "w", null))))
                .isInstanceOfSatisfying(ShardKvException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.SHARD_NOT_PROVISIONED);
                    assertThat(e.getMessage()).contains("\"staged\"").contains("terraform apply");
                });
        assertThat(operations.list()).hasSize(before);
    }

    @Test
    void anInvocationThatFindsTheLeaseTakenReturnsAtOnce() throws Exception {
        long now = System.currentTimeMillis();
        assertThat(operations.lease("another-invocation", now, now + 60_000)).isTrue();
        try {
            given().contentType("application/json").body(scheduledEvent())
                    .when().post()
                    .then().statusCode(200)
                    .body("ran", equalTo(false));
        } finally {
            operations.unlease("another-invocation");
        }
    }

    private String scheduledEvent() throws Exception {
        return new String(getClass().getResourceAsStream("/events/scheduled-event.json").readAllBytes(),
                StandardCharsets.UTF_8);
    }
}
