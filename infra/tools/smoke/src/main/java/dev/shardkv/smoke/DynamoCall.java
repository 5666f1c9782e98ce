package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one DynamoDB API call asks IAM for: per table it touches, the action and the partition keys
 * (dynamodb:LeadingKeys). Batch calls are authorized by their own action on each table; a
 * TransactWriteItems by the per-item actions (Put, Update, Delete, ConditionCheck), as AWS does. A
 * DynamoDB Streams call (DescribeStream, GetShardIterator, GetRecords) is authorized on its stream,
 * named by the StreamArn it gives or, for GetRecords, by the shard iterator (which begins with that ARN).
 */
public record DynamoCall(String operation, List<Access> accesses) {

    /**
     * One authorization IAM makes for the call. {@code table} is what follows {@code table/} in the resource's
     * ARN: a table's name, or {@code <table>/stream/<label>} for a stream.
     */
    public record Access(String action, String table, List<String> leadingKeys) {
    }

    /**
     * @param target   the X-Amz-Target header, e.g. DynamoDB_20120810.PutItem
     * @param body     the request's JSON
     * @param hashKeys the partition key attribute of each table (to read LeadingKeys)
     */
    public static DynamoCall of(String target, JsonNode body, Function<String, String> hashKeys) {
        String operation = target.substring(target.indexOf('.') + 1);
        List<Access> accesses = new ArrayList<>();
        switch (operation) {
            case "GetItem", "DeleteItem", "UpdateItem" -> accesses.add(single(operation, body, body.path("Key"), hashKeys));
            case "PutItem" -> accesses.add(single(operation, body, body.path("Item"), hashKeys));
            case "BatchGetItem" -> body.path("RequestItems").properties().forEach(e -> accesses.add(new Access(
                    "dynamodb:BatchGetItem", e.getKey(), keys(e.getValue().path("Keys"), hashKeys.apply(e.getKey())))));
            case "BatchWriteItem" -> body.path("RequestItems").properties().forEach(e -> {
                List<String> keys = new ArrayList<>();
                for (JsonNode request : e.getValue()) {
                    JsonNode item = request.has("PutRequest") ? request.path("PutRequest").path("Item")
                            : request.path("DeleteRequest").path("Key");
                    keys.add(keyOf(item, hashKeys.apply(e.getKey())));
                }
                accesses.add(new Access("dynamodb:BatchWriteItem", e.getKey(), keys));
            });
            case "TransactWriteItems", "TransactGetItems" -> {
                for (JsonNode item : body.path("TransactItems")) {
                    var entry = item.properties().iterator().next();
                    String action = switch (entry.getKey()) {
                        case "Put" -> "PutItem";
                        case "Update" -> "UpdateItem";
                        case "Delete" -> "DeleteItem";
                        case "ConditionCheck" -> "ConditionCheckItem";
                        default -> "GetItem";
                    };
                    JsonNode key = entry.getValue().has("Item") ? entry.getValue().path("Item") : entry.getValue().path("Key");
                    accesses.add(single(action, entry.getValue(), key, hashKeys));
                }
            }
            case "DescribeStream", "GetShardIterator" -> accesses.add(stream(operation, body.path("StreamArn").asText("")));
            // A shard iterator is "<stream ARN>|<version>|<token>", on AWS and on DynamoDB Local alike.
            case "GetRecords" -> accesses.add(stream(operation, body.path("ShardIterator").asText("").split("\\|", 2)[0]));
            default -> accesses.add(new Access("dynamodb:" + operation, body.path("TableName").asText("*"), List.of()));
        }
        return new DynamoCall(operation, accesses);
    }

    /**
     * A stream by its ARN, {@code arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>}: only
     * the part after {@code table/} is kept, and the caller puts it in the deployment's region and account, as it
     * does table names (DynamoDB Local's stream ARNs carry its own region). Anything else is kept whole, so that
     * it matches no statement and is refused.
     */
    private static Access stream(String operation, String arn) {
        int at = arn.indexOf(":table/");
        boolean wellFormed = arn.startsWith("arn:") && at > 0 && arn.indexOf("/stream/", at) > 0;
        return new Access("dynamodb:" + operation, wellFormed ? arn.substring(at + ":table/".length()) : arn, List.of());
    }

    private static Access single(String action, JsonNode request, JsonNode key, Function<String, String> hashKeys) {
        String table = request.path("TableName").asText();
        return new Access("dynamodb:" + action, table, List.of(keyOf(key, hashKeys.apply(table))));
    }

    private static List<String> keys(JsonNode keys, String hashKey) {
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add(keyOf(k, hashKey)));
        return out;
    }

    private static String keyOf(JsonNode item, String hashKey) {
        JsonNode value = item.path(hashKey == null ? "pk" : hashKey);
        return value.path("S").asText(value.path("N").asText(""));
    }

    /** The condition keys IAM evaluates for an access. */
    public static Map<String, List<String>> context(Access access) {
        return access.leadingKeys().isEmpty() ? Map.of() : Map.of("dynamodb:LeadingKeys", access.leadingKeys());
    }
}
