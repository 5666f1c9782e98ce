package dev.shardkv.functions.shard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationState;
import dev.shardkv.core.reshard.RemoteReshards;
import dev.shardkv.core.reshard.SplitRequest;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.topology.ShardMap;
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
 * A split that outlasts one resharder invocation, as one that outlasts the Lambda timeout would: each
 * invocation runs it for a second, stops it where it is (the copy's cursors and the stream positions
 * saved) and answers it unfinished; the next invocation resumes it, until one finishes it.
 */
@QuarkusTest
@TestProfile(Handler.ShortResharder.class)
@QuarkusTestResource(value = DynamoDbLocalResource.class, restrictToAnnotatedClass = true)
class ResharderTimeoutTest {

    @Inject
    Assembly assembly;

    @Inject
    OperationStore operations;

    @Test
    void aSplitLongerThanAnInvocationIsResumedByTheNextUntilDone() throws Exception {
        ShardMap before = assembly.seededMaps().current();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String key = (char) ('a' + i % 12) + "-" + i;
            keys.add(key);
            assembly.leader("a-l").put(key, "{\"i\":" + i + "}", System.currentTimeMillis(), Precondition.NONE);
        }
        RemoteReshards admin = new RemoteReshards(DynamoDbLocalResource.TOPOLOGY, assembly.control(), operations,
                () -> { }, Clock.systemUTC(), Duration.ofSeconds(1));
        Operation started = admin.split(new SplitRequest("a-l", "g", null));

        List<Integer> unfinished = new ArrayList<>();
        List<Long> copied = new ArrayList<>();
        while (unfinished.isEmpty() || unfinished.getLast() > 0) {
            assertThat(unfinished).as("bounded: the split ends within 30 invocations").hasSizeLessThan(30);
            JsonPath answer = given().contentType("application/json").body(scheduledEvent())
                    .when().post().then().statusCode(200).extract().jsonPath();
            assertThat(answer.getBoolean("ran")).isTrue();
            unfinished.add(answer.getInt("unfinished"));
            copied.add(admin.get(started.id()).progress().copied());
        }

        assertThat(unfinished.size()).as("invocations: " + unfinished + ", copied after each: " + copied)
                .isGreaterThan(1);
        Operation done = admin.get(started.id());
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(OperationState.DONE);
        assertThat(done.progress().copied()).as("each item copied once, not again from the start")
                .isLessThan(2L * keys.size());
        ShardMap after = assembly.control().loadShardMap().orElseThrow();
        assertThat(after.epoch()).isEqualTo(before.epoch() + 1);
        for (String key : keys) {
            assertThat(assembly.leader(after.route(key)).get(key)).as(key).isPresent();
        }
    }

    private String scheduledEvent() throws Exception {
        return new String(getClass().getResourceAsStream("/events/scheduled-event.json").readAllBytes(),
                StandardCharsets.UTF_8);
    }
}
