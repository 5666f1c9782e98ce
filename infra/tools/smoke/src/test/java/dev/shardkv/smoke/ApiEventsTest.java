package dev.shardkv.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiEventsTest {
    final ApiEvents api = new ApiEvents(List.of("PUT /v1/kv/{key+}", "GET /v1/kv/{key+}", "POST /v1/tx", "GET /v1/query/{proxy+}"),
            "000000000000");

    @Test
    void aRouteIsChosenAsApiGatewayChoosesIt() {
        assertThat(api.route("GET", "/v1/kv/a/b%2Fc")).get().extracting(ApiEvents.Route::key).isEqualTo("GET /v1/kv/{key+}");
        assertThat(api.route("POST", "/v1/tx")).get().extracting(ApiEvents.Route::pathParameters).isEqualTo(Map.of());
        assertThat(api.route("DELETE", "/v1/kv/a")).as("no DELETE route here").isEmpty();
        assertThat(api.route("GET", "/v1/tx")).isEmpty();
        assertThat(api.route("GET", "/v1/kv")).as("{key+} needs a segment").isEmpty();
    }

    @Test
    void theEventKeepsTheRawPathAndQuery() throws Exception {
        JsonNode e = new ObjectMapper().readTree(api.event("GET", "/v1/kv/caf%C3%A9?consistency=eventual", Map.of(), null));
        assertThat(e.path("version").asText()).isEqualTo("2.0");
        assertThat(e.path("rawPath").asText()).isEqualTo("/v1/kv/caf%C3%A9");
        assertThat(e.path("rawQueryString").asText()).isEqualTo("consistency=eventual");
        assertThat(e.path("queryStringParameters").path("consistency").asText()).isEqualTo("eventual");
        assertThat(e.path("requestContext").path("http").path("method").asText()).isEqualTo("GET");
        assertThat(e.path("routeKey").asText()).isEqualTo("GET /v1/kv/{key+}");
    }

    @Test
    void theAnswerIsReadFromPayloadFormatTwo() {
        ApiEvents.Response r = ApiEvents.response("""
                {"statusCode":201,"headers":{"X-Shard":"a-l"},"body":"eyJrIjoxfQ==","isBase64Encoded":true}""".getBytes());
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("x-shard")).isEqualTo("a-l");
        assertThat(r.body()).isEqualTo("{\"k\":1}");
    }
}
