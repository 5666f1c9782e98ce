package dev.shardkv.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.query.QueryKind;
import dev.shardkv.core.query.ShardQuery;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire form: {@code op} names the record, each record carries only its own fields, any Jackson mapper reads it back. */
class ShardRequestJsonTest {
    /** The gateway's writer (LambdaShardClient): a plain mapper. */
    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** Configured as Quarkus amazon-lambda's mapper that reads a handler's input. */
    private static final ObjectMapper LAMBDA = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true).build();

    static final List<ShardRequest> EVERY_KIND = List.of(
            ShardRequest.put("apple", "{\"n\":1}", Precondition.ifMatch(3), 1),
            ShardRequest.delete("apple", Precondition.CREATE_ONLY, 2),
            ShardRequest.strongGet("apple", 3),
            ShardRequest.replicaGet("apple", 2, 4),
            ShardRequest.watermarks(),
            ShardRequest.query(new ShardQuery(QueryKind.TOP, "a", null, "score", 10, null, 99), 1, 5),
            ShardRequest.batchGet(List.of("apple", "kiwi"), null, 6),
            ShardRequest.tx(new TxRequest(List.of(new TxOp(TxKind.PUT, "apple", "1", 0L)), 7)));

    @Test
    void everyKindGoesThereAndBackAsItself() throws Exception {
        for (ShardRequest request : EVERY_KIND) {
            byte[] json = PLAIN.writeValueAsBytes(request);
            for (ObjectMapper reader : List.of(PLAIN, LAMBDA)) {
                assertThat(reader.readerFor(ShardRequest.class).<ShardRequest>readValue(json))
                        .as(new String(json)).isEqualTo(request);
            }
        }
    }

    @Test
    void theOpPropertyNamesTheOperationAndOnlyItsOwnFieldsGo() throws Exception {
        assertThat(fields(ShardRequest.put("apple", "1", null, 1))).isEqualTo("{\"op\":\"PUT\",\"key\":\"apple\",\"value\":\"1\",\"epoch\":1}");
        assertThat(fields(ShardRequest.strongGet("apple", 3))).isEqualTo("{\"op\":\"GET\",\"key\":\"apple\",\"epoch\":3}");
        assertThat(fields(ShardRequest.watermarks())).isEqualTo("{\"op\":\"WATERMARKS\"}");
        assertThat(fields(ShardRequest.batchGet(List.of("a"), 2, 6)))
                .isEqualTo("{\"op\":\"BATCH_GET\",\"keys\":[\"a\"],\"replica\":2,\"epoch\":6}");
        JsonNode tx = PLAIN.readTree(fields(EVERY_KIND.get(7)));
        assertThat(tx.get("op").asText()).isEqualTo("TX");
        assertThat(tx.get("tx").get("epoch").asLong()).isEqualTo(7);
        assertThat(tx.has("epoch")).isFalse();
    }

    @Test
    void theEarlierPayloadsStillReadEvenByAStrictMapper() throws Exception {
        assertThat(PLAIN.readValue("{\"op\":\"WATERMARKS\",\"epoch\":1}", ShardRequest.class))
                .isEqualTo(ShardRequest.watermarks());
        ShardRequest tx = PLAIN.readValue("{\"op\":\"TX\",\"epoch\":1,\"tx\":{\"epoch\":1,\"operations\":"
                + "[{\"op\":\"put\",\"key\":\"apple\",\"value\":\"1\"}]}}", ShardRequest.class);
        assertThat(tx).isInstanceOfSatisfying(ShardRequest.Transact.class, t -> assertThat(t.epoch()).isEqualTo(1));
        assertThat(LAMBDA.readValue("{\"op\":\"GET\",\"key\":\"kiwi\",\"replica\":2,\"epoch\":1}", ShardRequest.class))
                .isEqualTo(ShardRequest.replicaGet("kiwi", 2, 1));
    }

    @Test
    void aPreconditionSaysAnyLiveVersionApartFromVersions() throws Exception {
        for (Precondition p : List.of(Precondition.LIVE, Precondition.ifMatch(3), Precondition.CREATE_ONLY)) {
            byte[] json = PLAIN.writeValueAsBytes(ShardRequest.put("apple", "1", p, 1));
            for (ObjectMapper reader : List.of(PLAIN, LAMBDA)) {
                assertThat(((ShardRequest.Put) reader.readValue(json, ShardRequest.class)).precondition())
                        .as(new String(json)).isEqualTo(p);
            }
        }
        assertThat(PLAIN.readTree(fields(ShardRequest.put("apple", "1", Precondition.LIVE, 1))).get("precondition"))
                .hasToString("{\"ifMatch\":null,\"ifLive\":true,\"ifNoneMatch\":false}");
        // Version 0 was once "any live version" here; now it means "absent" and is never an If-Match version.
        assertThatThrownBy(() -> PLAIN.readValue("{\"op\":\"PUT\",\"key\":\"apple\",\"value\":\"1\",\"epoch\":1,"
                + "\"precondition\":{\"ifMatch\":0,\"ifNoneMatch\":false}}", ShardRequest.class))
                .hasRootCauseInstanceOf(dev.shardkv.core.error.ShardKvException.class);
    }

    @Test
    void eachRecordNamesItsOperation() {
        assertThat(EVERY_KIND).extracting(ShardRequest::op)
                .containsExactly("PUT", "DELETE", "GET", "GET", "WATERMARKS", "QUERY", "BATCH_GET", "TX");
    }

    private static String fields(ShardRequest request) throws Exception {
        return PLAIN.writeValueAsString(request);
    }
}
