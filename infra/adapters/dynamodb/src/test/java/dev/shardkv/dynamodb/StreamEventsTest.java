package dev.shardkv.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.replication.ChangeRecord;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * The stream-record-to-DynamodbEvent adapter, held to a real Lambda DynamoDB event: records read from
 * DynamoDB Local's stream, adapted, and written with the Lambda runtime's own serializer must have the
 * shape (field names, value types, constants) of the event Lambda delivers, and must read back through
 * that serializer into the same changes.
 */
class StreamEventsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final PojoSerializer<DynamodbEvent> LAMBDA =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamEventsTest.class.getClassLoader());
    static AmazonDynamoDBLocal local;
    static String streamArn;
    static List<Record> records;

    @BeforeAll
    static void writeAndReadTheStream() {
        local = DynamoDBEmbedded.create(null, true);
        var dynamo = local.dynamoDbClient();
        new TableProvisioner(dynamo).create("adapter-leader", true);
        streamArn = new TableProvisioner(dynamo).streamArn("adapter-leader");
        DynamoLeaderStore leader = new DynamoLeaderStore(dynamo, "adapter-leader");
        leader.put("order-17", "{\"total\":41.5}", 1_763_812_800_123L, Precondition.NONE);
        leader.put("order-17", "{\"total\":41.5,\"paid\":true}", 1_763_812_800_456L, Precondition.NONE);
        leader.delete("order-17", 1_763_812_800_789L, 1_764_417_600L, Precondition.NONE);
        dynamo.deleteItem(b -> b.tableName("adapter-leader").key(ItemAttributes.key("order-17")));

        var streams = local.dynamoDbStreamsClient();
        String shard = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        records = streams.getRecords(b -> b.shardIterator(iterator)).records();
        assertThat(records).hasSize(4);
    }

    @AfterAll
    static void stop() {
        local.shutdownNow();
    }

    @Test
    void adaptedRecordsHaveTheShapeOfARealLambdaEvent() throws Exception {
        JsonNode real;
        try (InputStream in = getClass().getResourceAsStream("/events/lambda-dynamodb-event.json")) {
            real = JSON.readTree(in);
        }
        JsonNode adapted = JSON.readTree(toLambdaJson(StreamEvents.toLambdaEvent(records, streamArn)));

        assertThat(fieldNames(adapted)).isEqualTo(fieldNames(real)); // {"Records"}
        JsonNode realRecord = real.get("Records").get(1); // a MODIFY with both images
        for (JsonNode record : adapted.get("Records")) {
            assertThat(record.get("eventSource").asText()).isEqualTo("aws:dynamodb");
            assertThat(record.get("eventVersion").asText()).isEqualTo("1.1");
            assertThat(record.get("eventName").asText()).isIn("INSERT", "MODIFY", "REMOVE");
            assertThat(record.get("eventSourceARN").asText()).isEqualTo(streamArn);
            for (String field : List.of("eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb",
                    "eventSourceARN")) {
                assertThat(record.get(field).getNodeType()).as(field).isEqualTo(realRecord.get(field).getNodeType());
            }
            JsonNode stream = record.get("dynamodb");
            JsonNode realStream = realRecord.get("dynamodb");
            for (String field : List.of("ApproximateCreationDateTime", "Keys", "SequenceNumber", "SizeBytes",
                    "StreamViewType")) {
                assertThat(stream.has(field)).as(field).isTrue();
                assertThat(stream.get(field).getNodeType()).as(field).isEqualTo(realStream.get(field).getNodeType());
            }
            assertThat(stream.get("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
            assertThat(stream.get("Keys").get("pk").get("S").asText()).isEqualTo("order-17");
            // Epoch seconds, as Lambda sends them (not milliseconds).
            assertThat(stream.get("ApproximateCreationDateTime").asDouble()).isBetween(1.7e9, 4.0e9);
        }
        JsonNode insert = adapted.get("Records").get(0).get("dynamodb");
        assertThat(fieldNames(insert)).doesNotContain("OldImage").contains("NewImage");
        assertThat(insert.get("NewImage").get("version").fieldNames().next()).isEqualTo("N");
        assertThat(insert.get("NewImage").get("tombstone").get("BOOL").isBoolean()).isTrue();
        JsonNode remove = adapted.get("Records").get(3).get("dynamodb");
        assertThat(fieldNames(remove)).doesNotContain("NewImage").contains("OldImage");
    }

    @Test
    void theLambdaSerializerReadsTheAdaptedEventBackIntoTheSameChanges() throws Exception {
        String json = toLambdaJson(StreamEvents.toLambdaEvent(records, streamArn));
        DynamodbEvent event = LAMBDA.fromJson(json);
        List<ChangeRecord> changes = new ArrayList<>();
        event.getRecords().forEach(r -> changes.add(StreamEvents.toChange(r)));

        assertThat(changes).extracting(ChangeRecord::kind).containsExactly(ChangeRecord.Kind.UPSERT,
                ChangeRecord.Kind.UPSERT, ChangeRecord.Kind.UPSERT, ChangeRecord.Kind.REMOVE);
        assertThat(changes.get(0).item().version()).isEqualTo(1);
        assertThat(changes.get(0).item().ts()).isEqualTo(1_763_812_800_123L);
        assertThat(changes.get(1).item().value()).isEqualTo("{\"total\":41.5,\"paid\":true}");
        assertThat(changes.get(2).item().tombstone()).isTrue();
        assertThat(changes.get(2).item().expiresAt()).isEqualTo(1_764_417_600L);
        assertThat(changes.get(3).oldVersion()).isEqualTo(3);
        assertThat(changes).extracting(ChangeRecord::sequenceNumber)
                .containsExactlyElementsOf(records.stream().map(r -> r.dynamodb().sequenceNumber()).toList());
    }

    @Test
    void theRealEventReadsThroughTheSameAdapterIncludingTtlRemovals() throws Exception {
        DynamodbEvent real;
        try (InputStream in = getClass().getResourceAsStream("/events/lambda-dynamodb-event.json")) {
            real = LAMBDA.fromJson(in);
        }
        var ttl = real.getRecords().get(2);
        // Its key attribute is "Id", not ours, so check the identity rule on a copy keyed like ours.
        ttl.getDynamodb().setKeys(Map.of(ItemAttributes.PK,
                new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS("order-9")));
        assertThat(StreamEvents.toChange(ttl).kind()).isEqualTo(ChangeRecord.Kind.TTL_EXPIRY);
        // Every attribute type of the real event survives the adapter's SDK <-> Lambda mapping.
        Map<String, AttributeValue> sdk = com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb
                .DynamodbAttributeValueTransformer.toAttributeValueMapV2(real.getRecords().get(0).getDynamodb().getNewImage());
        assertThat(StreamEvents.toLambdaMap(sdk)).isEqualTo(real.getRecords().get(0).getDynamodb().getNewImage());
    }

    private static String toLambdaJson(DynamodbEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LAMBDA.toJson(event, out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static TreeSet<String> fieldNames(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
