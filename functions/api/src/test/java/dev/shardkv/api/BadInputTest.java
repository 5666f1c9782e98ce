package dev.shardkv.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.embedded.testing.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal: the right status, RFC 9457 problem+json with a stable type and a clear detail, and
 * nothing written anywhere (every leader and replica table is compared before and after).
 */
@QuarkusTest
class BadInputTest {
    static final String BIG = "\"" + "x".repeat(ValueCodec.MAX_VALUE_BYTES - 1) + "\""; // limit + 1 bytes
    static final String HUGE = "\"" + "x".repeat(5 * ValueCodec.MAX_VALUE_BYTES) + "\"";

    @Inject
    EmbeddedApi runtime;

    List<StoredItem> before;

    record Bad(String name, String method, String path, Map<String, String> headers, String body, int status,
            String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Bad bad(String name, String method, String path, Map<String, String> headers, String body, int status,
            String type) {
        return new Bad(name, method, path, headers, body, status, type);
    }

    static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    static Stream<Arguments> refusals() {
        return Stream.of(
                bad("empty key", "PUT", "/v1/kv/", JSON, "1", 400, "invalid-key"),
                bad("no key at all", "PUT", "/v1/kv", JSON, "1", 400, "invalid-key"),
                bad("empty key on GET", "GET", "/v1/kv/", Map.of(), null, 400, "invalid-key"),
                bad("key over 1024 bytes", "PUT", "/v1/kv/" + "k".repeat(1025), JSON, "1", 400, "invalid-key"),
                bad("multibyte key over 1024 bytes", "PUT", "/v1/kv/" + "%E2%82%AC".repeat(342), JSON, "1", 400, "invalid-key"),
                bad("NUL in key", "PUT", "/v1/kv/a%00b", JSON, "1", 400, "invalid-key"),
                bad("newline in key", "PUT", "/v1/kv/a%0Ab", JSON, "1", 400, "invalid-key"),
                bad("DEL in key", "PUT", "/v1/kv/a%7Fb", JSON, "1", 400, "invalid-key"),
                bad("escape in key", "GET", "/v1/kv/%1B%5B31m", Map.of(), null, 400, "invalid-key"),
                bad("reserved heartbeat key", "PUT", "/v1/kv/__shardkv:heartbeat", JSON, "1", 400, "reserved-key"),
                bad("reserved prefix read", "GET", "/v1/kv/__shardkv:watermark", Map.of(), null, 400, "reserved-key"),
                bad("reserved prefix delete", "DELETE", "/v1/kv/__shardkvx", Map.of(), null, 400, "reserved-key"),
                bad("body not JSON", "PUT", "/v1/kv/bad-json", JSON, "{bad", 400, "invalid-json"),
                bad("empty body", "PUT", "/v1/kv/bad-empty", JSON, "", 400, "invalid-json"),
                bad("trailing garbage", "PUT", "/v1/kv/bad-trailing", JSON, "{\"a\":1} x", 400, "invalid-json"),
                bad("duplicate field", "PUT", "/v1/kv/bad-dup", JSON, "{\"a\":1,\"a\":2}", 400, "invalid-json"),
                bad("value over the limit", "PUT", "/v1/kv/bad-big", JSON, BIG, 413, "value-too-large"),
                bad("body far over the limit", "PUT", "/v1/kv/bad-huge", JSON, HUGE, 413, "value-too-large"),
                bad("text/plain", "PUT", "/v1/kv/bad-type", Map.of("Content-Type", "text/plain"), "1", 415, "unsupported-media-type"),
                bad("application/xml", "PUT", "/v1/kv/bad-xml", Map.of("Content-Type", "application/xml"), "<a/>", 415, "unsupported-media-type"),
                bad("no Content-Type", "PUT", "/v1/kv/bad-none", Map.of(), "1", 415, "unsupported-media-type"),
                bad("unknown consistency", "GET", "/v1/kv/x?consistency=linearizable", Map.of(), null, 400, "invalid-consistency"),
                bad("bounded without a bound", "GET", "/v1/kv/x?consistency=bounded", Map.of(), null, 400, "invalid-consistency"),
                bad("bound not a number", "GET", "/v1/kv/x?consistency=bounded&maxLagMs=soon", Map.of(), null, 400, "invalid-consistency"),
                bad("negative bound", "GET", "/v1/kv/x?consistency=bounded&maxLagMs=-5", Map.of(), null, 400, "invalid-consistency"),
                bad("bound on eventual", "GET", "/v1/kv/x?maxLagMs=100", Map.of(), null, 400, "invalid-consistency"),
                bad("forged token", "GET", "/v1/kv/x?consistency=session", Map.of("X-Consistency-Token", "v1.garbage!"), null, 400, "invalid-consistency"),
                bad("header and query disagree", "GET", "/v1/kv/x?consistency=strong", Map.of("X-Consistency", "eventual"), null, 400, "invalid-consistency"),
                bad("If-Match not a version", "PUT", "/v1/kv/bad-tag", Map.of("Content-Type", "application/json", "If-Match", "\"abc\""), "1", 400, "invalid-precondition"),
                bad("weak If-Match", "PUT", "/v1/kv/bad-weak", Map.of("Content-Type", "application/json", "If-Match", "W/\"1\""), "1", 400, "invalid-precondition"),
                bad("both preconditions", "PUT", "/v1/kv/bad-both", Map.of("Content-Type", "application/json", "If-Match", "\"1\"", "If-None-Match", "*"), "1", 400, "invalid-precondition"),
                bad("If-None-Match with a tag", "PUT", "/v1/kv/bad-inm", Map.of("Content-Type", "application/json", "If-None-Match", "\"3\""), "1", 400, "invalid-precondition"),
                bad("If-None-Match on DELETE", "DELETE", "/v1/kv/bad-del", Map.of("If-None-Match", "*"), null, 400, "invalid-precondition"),
                bad("If-Match on an absent key", "PUT", "/v1/kv/absent-key", Map.of("Content-Type", "application/json", "If-Match", "\"7\""), "1", 412, "precondition-failed"),
                bad("conditional delete of an absent key", "DELETE", "/v1/kv/absent-key", Map.of("If-Match", "\"1\""), null, 412, "precondition-failed"),
                bad("delete of an absent key", "DELETE", "/v1/kv/absent-key", Map.of(), null, 404, "not-found"),
                bad("read of an absent key", "GET", "/v1/kv/absent-key?consistency=strong", Map.of(), null, 404, "not-found"),
                bad("unknown endpoint", "GET", "/v1/nothing-here", Map.of(), null, 404, "no-such-endpoint"),
                bad("wrong method", "POST", "/v1/kv/x", JSON, "1", 405, "method-not-allowed"),
                bad("wrong method on shards", "DELETE", "/v1/shards", Map.of(), null, 405, "method-not-allowed"),
                // A lone surrogate has no UTF-8 form: stored, it would break every read of the key.
                bad("lone high surrogate in a value", "PUT", "/v1/kv/lsur", JSON, "{\"a\":\"\\ud800\"}", 400, "invalid-json"),
                bad("lone low surrogate in a field name", "PUT", "/v1/kv/lsur", JSON, "{\"\\udc00\":1}", 400, "invalid-json"),
                bad("lone surrogate in a transaction value", "POST", "/v1/tx", JSON,
                        "{\"operations\":[{\"op\":\"put\",\"key\":\"lsur\",\"value\":\"\\ud800\"}]}", 400, "invalid-json"),
                // Request bodies bound to records: the shape is checked field by field, the body strictly parsed.
                bad("tx operations not a list", "POST", "/v1/tx", JSON, "{\"operations\":\"x\"}", 400, "invalid-request"),
                bad("tx operation not an object", "POST", "/v1/tx", JSON, "{\"operations\":[1]}", 400, "invalid-request"),
                bad("tx operation null", "POST", "/v1/tx", JSON, "{\"operations\":[null]}", 400, "invalid-request"),
                bad("tx key not a string", "POST", "/v1/tx", JSON,
                        "{\"operations\":[{\"op\":\"put\",\"key\":5,\"value\":1}]}", 400, "invalid-request"),
                bad("tx op not a string", "POST", "/v1/tx", JSON,
                        "{\"operations\":[{\"op\":true,\"key\":\"k\",\"value\":1}]}", 400, "invalid-request"),
                bad("tx body not JSON", "POST", "/v1/tx", JSON, "{\"operations\":[", 400, "invalid-json"),
                bad("tx duplicate field", "POST", "/v1/tx", JSON,
                        "{\"operations\":[{\"op\":\"put\",\"key\":\"k\",\"value\":1,\"value\":2}]}", 400, "invalid-json"),
                bad("tx as text/plain", "POST", "/v1/tx", Map.of("Content-Type", "text/plain"),
                        "{\"operations\":[{\"op\":\"put\",\"key\":\"k\",\"value\":1}]}", 415, "unsupported-media-type"),
                bad("tx body null", "POST", "/v1/tx", JSON, "null", 400, "invalid-request"),
                bad("batch body null", "POST", "/v1/kv:batchGet", JSON, "null", 400, "invalid-request"),
                bad("batch body an array", "POST", "/v1/kv:batchGet", JSON, "[\"a\"]", 400, "invalid-request"),
                bad("batch key not a string", "POST", "/v1/kv:batchGet", JSON, "{\"keys\":[\"a\",1]}", 400, "invalid-request"),
                bad("batch key null", "POST", "/v1/kv:batchGet", JSON, "{\"keys\":[null]}", 400, "invalid-request"),
                bad("batch trailing garbage", "POST", "/v1/kv:batchGet", JSON, "{\"keys\":[\"a\"]} x", 400, "invalid-json"),
                bad("batch as text/plain", "POST", "/v1/kv:batchGet", Map.of("Content-Type", "text/plain"),
                        "{\"keys\":[\"a\"]}", 415, "unsupported-media-type"),
                // Numbers out of range are refused, never wrapped.
                bad("version 2^64+1", "POST", "/v1/tx", JSON, tx("18446744073709551617"), 400, "invalid-request"),
                bad("version 2^64", "POST", "/v1/tx", JSON, tx("18446744073709551616"), 400, "invalid-request"),
                bad("version 1e400", "POST", "/v1/tx", JSON, tx("1e400"), 400, "invalid-request"),
                bad("version 1.5", "POST", "/v1/tx", JSON, tx("1.5"), 400, "invalid-request"),
                bad("version -1", "POST", "/v1/tx", JSON, tx("-1"), 400, "invalid-request"),
                bad("top n=2^32+10", "GET", "/v1/query/top?field=score&n=4294967306", Map.of(), null, 400, "invalid-request"),
                bad("scan limit=2^32+1", "GET", "/v1/query/scan?limit=4294967297", Map.of(), null, 400, "invalid-request"),
                bad("scan limit=1001", "GET", "/v1/query/scan?limit=1001", Map.of(), null, 400, "invalid-request"),
                bad("timeoutMs beyond a long", "GET", "/v1/query/count?timeoutMs=99999999999999999999", Map.of(), null, 400, "invalid-request"),
                // A key is exactly its UTF-8: invalid UTF-8 is refused, never turned into U+FFFD.
                bad("key %FF", "PUT", "/v1/kv/alias%FF", JSON, "1", 400, "invalid-key"),
                bad("key %FE", "GET", "/v1/kv/alias%FE", Map.of(), null, 400, "invalid-key"),
                bad("key overlong UTF-8", "PUT", "/v1/kv/a%C0%AF", JSON, "1", 400, "invalid-key"),
                bad("key encoded surrogate", "DELETE", "/v1/kv/a%ED%A0%80", Map.of(), null, 400, "invalid-key"),
                bad("key of only ;params", "PUT", "/v1/kv/;x=1", JSON, "1", 400, "invalid-key"),
                // A token may name only shards of the map, and is bounded.
                bad("token naming an unknown shard", "GET", "/v1/kv/x?consistency=session",
                        Map.of("X-Consistency-Token", token("nope=5")), null, 400, "invalid-consistency"),
                bad("token naming an unknown shard on a write", "PUT", "/v1/kv/tok",
                        Map.of("Content-Type", "application/json", "X-Consistency-Token", token("a-l=1;zz=2")), "1", 400, "invalid-consistency"),
                bad("token over the size limit", "GET", "/v1/kv/x?consistency=session",
                        Map.of("X-Consistency-Token", "v1." + "A".repeat(5000)), null, 400, "invalid-consistency"))
                .map(Arguments::of);
    }

    static String tx(String version) {
        return "{\"operations\":[{\"op\":\"put\",\"key\":\"numk\",\"value\":2,\"version\":" + version + "}]}";
    }

    static String token(String text) {
        return "v1." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @BeforeEach
    void snapshot() {
        before = Tables.everything(runtime.cluster());
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(Tables.everything(runtime.cluster())).as("no table changed").containsExactlyInAnyOrderElementsOf(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void isRefusedWithProblemJsonAndWritesNothing(Bad bad) {
        RequestSpecification request = given().urlEncodingEnabled(false).headers(bad.headers());
        if (bad.body() != null) {
            request = request.body(bad.body());
        }
        request.when().request(bad.method(), bad.path())
                .then().statusCode(bad.status())
                .contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:" + bad.type()))
                .body("status", equalTo(bad.status()))
                .body("title", not(emptyOrNullString()))
                .body("detail", not(emptyOrNullString()));
    }

    /** The bound's old name (before maxLagMs) is refused, saying so: never read as a request without a bound. */
    static Stream<Arguments> renamedBounds() {
        return Stream.of(
                bad("old query parameter", "GET", "/v1/kv/x?consistency=bounded&maxStalenessMs=100", Map.of(), null, 400,
                        "invalid-consistency"),
                bad("old header", "GET", "/v1/kv/x?consistency=bounded", Map.of("X-Max-Staleness-Ms", "100"), null, 400,
                        "invalid-consistency"),
                bad("old query parameter on eventual", "GET", "/v1/kv/x?maxStalenessMs=100", Map.of(), null, 400,
                        "invalid-consistency"),
                bad("old batchGet field", "POST", "/v1/kv:batchGet", JSON,
                        "{\"keys\":[\"x\"],\"consistency\":\"bounded\",\"maxStalenessMs\":100}", 400, "invalid-consistency"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renamedBounds")
    void theOldNameOfTheLagBoundIsRefusedSayingItWasRenamed(Bad bad) {
        RequestSpecification request = given().urlEncodingEnabled(false).headers(bad.headers());
        if (bad.body() != null) {
            request = request.body(bad.body());
        }
        request.when().request(bad.method(), bad.path())
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:shardkv:problem:" + bad.type()))
                .body("detail", containsString("maxStalenessMs (header X-Max-Staleness-Ms) was renamed maxLagMs"));
    }
}
