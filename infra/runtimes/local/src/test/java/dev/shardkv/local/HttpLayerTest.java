package dev.shardkv.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.embedded.testing.Tables;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the server as bytes: limits of the HTTP layer answer problem+json like any other
 * refusal, one body limit holds however the body arrives, and a key is exactly the UTF-8 its path
 * spells. Nothing refused writes anything.
 */
@QuarkusTest
class HttpLayerTest {
    @Inject
    LocalRuntime runtime;

    List<StoredItem> before;

    @BeforeEach
    void snapshot() {
        before = Tables.everything(runtime.cluster());
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(Tables.everything(runtime.cluster())).as("no table changed").containsExactlyInAnyOrderElementsOf(before);
    }

    static void problem(RawHttp.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"type\":\"urn:shardkv:problem:" + type + "\"", "\"detail\":\"");
    }

    static String put(String path, String extraHeaders, int length) {
        return "PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + extraHeaders
                + (length >= 0 ? "Content-Length: " + length + "\r\n" : "") + "\r\n";
    }

    @Test
    void aTooLongRequestTargetIs414ProblemJson() throws Exception {
        problem(RawHttp.send("GET /v1/kv/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414, "uri-too-long");
    }

    @Test
    void tooLargeHeadersAre431ProblemJson() throws Exception {
        problem(RawHttp.send("GET /v1/kv/a HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(30_000) + "\r\n\r\n"),
                431, "headers-too-large");
    }

    @Test
    void aBodyOverTheHttpLayersOwnLimitIs413ProblemJsonFromItsLength() throws Exception {
        RawHttp.Answer answer = RawHttp.send(put("/v1/kv/huge", "", 11_000_000).getBytes(StandardCharsets.US_ASCII), null);
        problem(answer, 413, "value-too-large");
        assertThat(answer.body()).contains("11000000");
    }

    @Test
    void aChunkedBodyMeetsTheSameLimitAsOneWithALength() throws Exception {
        // 2 MB of whitespace: over the 1 MiB a value body may be, however it arrives
        problem(RawHttp.send(put("/v1/kv/chunky", "Transfer-Encoding: chunked\r\n", -1).getBytes(StandardCharsets.US_ASCII),
                RawHttp.chunked(2_000_000)), 413, "value-too-large");
        problem(RawHttp.send(put("/v1/kv/lengthy", "", 2_000_002).getBytes(StandardCharsets.US_ASCII),
                (" ".repeat(2_000_000) + "1\n").getBytes(StandardCharsets.US_ASCII)), 413, "value-too-large");
        problem(RawHttp.send(("POST /v1/tx HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII), RawHttp.chunked(6_000_000)),
                413, "value-too-large");
    }

    @Test
    void aMalformedContentTypeIsNamedInTheProblem() throws Exception {
        RawHttp.Answer answer = RawHttp.send(put("/v1/kv/ct", "Content-Type: /\r\n", 1).replace(
                "Content-Type: application/json\r\n", "").getBytes(StandardCharsets.US_ASCII), "1".getBytes());
        problem(answer, 400, "invalid-request");
        assertThat(answer.body()).contains("Content-Type");
    }

    @Test
    void aWrongMethodNamesTheAllowedOnes() throws Exception {
        RawHttp.Answer answer = RawHttp.send("POST /v1/kv/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1\r\n\r\n1");
        problem(answer, 405, "method-not-allowed");
        assertThat(answer.header("allow")).contains("GET", "PUT", "DELETE").doesNotContain("POST");
        answer = RawHttp.send("GET /v1/tx HTTP/1.1\r\nHost: localhost\r\n\r\n");
        problem(answer, 405, "method-not-allowed");
        assertThat(answer.header("allow")).contains("POST").doesNotContain("GET");
    }

    @Test
    void aRawByteThatIsNotUtf8IsRefusedNotReadAsLatin1() throws Exception {
        byte[] head = put("/v1/kv/raw\u00e9", "", 1).getBytes(StandardCharsets.ISO_8859_1); // one byte 0xE9
        problem(RawHttp.send(head, "1".getBytes()), 400, "invalid-key");
    }
}
