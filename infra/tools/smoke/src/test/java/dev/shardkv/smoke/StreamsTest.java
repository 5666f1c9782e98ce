package dev.shardkv.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.embedded.DynamoDbLocal;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamsTest {

    /**
     * A staged shard's stream is empty until the split, while the other leaders' streams fill: reading it
     * while empty must not spoil the reads once its first records come.
     */
    @Test
    void aStreamReadWhileEmptyDeliversItsFirstRecordsLater() {
        try (DynamoDbLocal dynamo = DynamoDbLocal.http(0, null)) {
            RawDynamo raw = new RawDynamo(dynamo.endpoint());
            raw.createTable("routed-leader", "pk", true);
            raw.createTable("staged-leader", "pk", true);
            Streams streams = new Streams(raw);
            raw.put("routed-leader", "{\"pk\":{\"S\":\"r1\"}}");
            assertThat(keys(streams.read("routed-leader"))).containsExactly("r1");
            assertThat(streams.read("staged-leader")).isEmpty();
            raw.put("routed-leader", "{\"pk\":{\"S\":\"r2\"}}");
            assertThat(streams.read("staged-leader")).isEmpty();
            raw.put("staged-leader", "{\"pk\":{\"S\":\"a\"}}");
            raw.put("routed-leader", "{\"pk\":{\"S\":\"r3\"}}");
            assertThat(keys(streams.read("staged-leader"))).containsExactly("a");
            assertThat(streams.read("staged-leader")).isEmpty();
            raw.put("staged-leader", "{\"pk\":{\"S\":\"b\"}}");
            raw.put("staged-leader", "{\"pk\":{\"S\":\"c\"}}");
            assertThat(keys(streams.read("staged-leader"))).containsExactly("b", "c");
            assertThat(keys(streams.read("routed-leader"))).containsExactly("r2", "r3");
        }
    }

    private static List<String> keys(List<com.fasterxml.jackson.databind.node.ObjectNode> records) {
        return records.stream().map(r -> r.path("dynamodb").path("Keys").path("pk").path("S").asText()).toList();
    }
}
