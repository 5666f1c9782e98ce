package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The harness's own calls to DynamoDB Local, in DynamoDB's JSON protocol: items and stream records stay
 * in the wire form Terraform's items and Lambda's stream events use, with no conversion of ours.
 */
final class RawDynamo {
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=smoke/20260101/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=0000"; // DynamoDB Local checks no signature
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;

    RawDynamo(URI endpoint) {
        this.endpoint = endpoint;
    }

    JsonNode call(String target, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", target)
                .header("X-Amz-Date", "20260101T000000Z")
                .header("Authorization", AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException(target + " answered " + response.statusCode() + " " + response.body());
            }
            return Smoke.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    void createTable(String name, String hashKey, boolean stream) {
        ObjectNode body = Smoke.JSON.createObjectNode().put("TableName", name).put("BillingMode", "PAY_PER_REQUEST");
        body.putArray("AttributeDefinitions").addObject().put("AttributeName", hashKey).put("AttributeType", "S");
        body.putArray("KeySchema").addObject().put("AttributeName", hashKey).put("KeyType", "HASH");
        if (stream) {
            body.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", "NEW_AND_OLD_IMAGES");
        }
        call("DynamoDB_20120810.CreateTable", body);
    }

    void put(String table, String itemJson) {
        try {
            ObjectNode body = Smoke.JSON.createObjectNode().put("TableName", table);
            body.set("Item", Smoke.JSON.readTree(itemJson));
            call("DynamoDB_20120810.PutItem", body);
        } catch (IOException e) {
            throw new IllegalStateException("item of " + table + " is not JSON: " + itemJson, e);
        }
    }

    /** The item (consistent read) in DynamoDB JSON, or null. */
    JsonNode get(String table, String key) {
        ObjectNode body = Smoke.JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true);
        body.putObject("Key").putObject("pk").put("S", key);
        JsonNode item = call("DynamoDB_20120810.GetItem", body).path("Item");
        return item.isMissingNode() ? null : item;
    }
}
