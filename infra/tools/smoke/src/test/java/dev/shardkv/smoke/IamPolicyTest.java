package dev.shardkv.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IamPolicyTest {
    static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    @Test
    void anActionIsAllowedOnlyOnTheResourcesOfItsStatement() {
        IamPolicy p = IamPolicy.parse("""
                {"Statement":[{"Sid":"A","Effect":"Allow","Action":["dynamodb:PutItem"],"Resource":["%sleader"]},
                 {"Sid":"S","Effect":"Allow","Action":"dynamodb:GetRecords","Resource":"%sleader/stream/*"}]}"""
                .formatted(TABLE, TABLE));
        assertThat(p.allows("dynamodb:PutItem", TABLE + "leader", Map.of())).isTrue();
        assertThat(p.allows("dynamodb:putitem", TABLE + "leader", Map.of())).as("actions ignore case").isTrue();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "leader-old", Map.of())).isFalse();
        assertThat(p.allows("dynamodb:BatchWriteItem", TABLE + "leader", Map.of())).isFalse();
        assertThat(p.allows("dynamodb:GetRecords", TABLE + "leader/stream/2026-12-01T00:00:00.000", Map.of())).isTrue();
        assertThat(p.resources()).containsExactly(TABLE + "leader", TABLE + "leader/stream/*");
    }

    @Test
    void forAllValuesHoldsOnlyForTheNamedKeysAndWhenTheRequestHasNone() {
        IamPolicy p = IamPolicy.parse("""
                {"Statement":[{"Effect":"Allow","Action":["dynamodb:UpdateItem"],"Resource":["%s*"],
                 "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["__shardkv:heartbeat"]}}}]}"""
                .formatted(TABLE));
        assertThat(p.allows("dynamodb:UpdateItem", TABLE + "a", Map.of("dynamodb:LeadingKeys", List.of("__shardkv:heartbeat"))))
                .isTrue();
        assertThat(p.allows("dynamodb:UpdateItem", TABLE + "a", Map.of("dynamodb:LeadingKeys", List.of("alice")))).isFalse();
        assertThat(p.allows("dynamodb:UpdateItem", TABLE + "a", Map.of())).as("IAM: no value at all satisfies ForAllValues")
                .isTrue();
    }

    @Test
    void forAllValuesStringLikeMatchesEveryKeyAgainstTheWildcards() {
        IamPolicy p = IamPolicy.parse("""
                {"Statement":[{"Effect":"Allow","Action":["dynamodb:PutItem","dynamodb:ConditionCheckItem"],"Resource":["%scontrol"],
                 "Condition":{"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["op#*","lock#*","abort#*","v?"]}}}]}"""
                .formatted(TABLE));
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("op#op-1-abc")))).isTrue();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("lock#a-l", "abort#x"))))
                .isTrue();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("shardmap"))))
                .as("the shard map is no op#, lock# or abort# key").isFalse();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("op#1", "shardmap"))))
                .as("every value must match").isFalse();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("OP#1"))))
                .as("StringLike is case-sensitive").isFalse();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("v1")))).isTrue();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("v12"))))
                .as("? is one character").isFalse();
        assertThat(p.allows("dynamodb:PutItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("xop#1"))))
                .as("a pattern matches the whole value").isFalse();
        assertThat(p.allows("dynamodb:UpdateItem", TABLE + "control", Map.of("dynamodb:LeadingKeys", List.of("op#1")))).isFalse();
    }

    /** The gateway's ManageOperations statement, as Terraform writes it, against the transaction that stores an operation. */
    @Test
    void eachItemOfATransactionIsAuthorizedByItsOwnActionAndKey() throws Exception {
        IamPolicy gateway = IamPolicy.parse("""
                {"Statement":[{"Sid":"ReadShardMap","Effect":"Allow","Action":["dynamodb:GetItem"],"Resource":["%1$scontrol"]},
                 {"Sid":"ManageOperations","Effect":"Allow","Action":["dynamodb:ConditionCheckItem","dynamodb:PutItem"],
                  "Resource":["%1$scontrol"],
                  "Condition":{"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["op#*","lock#*","abort#*"]}}}]}"""
                .formatted(TABLE));
        ObjectMapper json = new ObjectMapper();
        DynamoCall store = DynamoCall.of("DynamoDB_20120810.TransactWriteItems", json.readTree("""
                {"TransactItems":[{"Put":{"TableName":"control","Item":{"pk":{"S":"op#op-1-abc"},"operation":{"S":"{}"}}}},
                 {"Put":{"TableName":"control","Item":{"pk":{"S":"lock#a-l"}}}},
                 {"ConditionCheck":{"TableName":"control","Key":{"pk":{"S":"lock#m-s"}},"ConditionExpression":"x"}}]}"""),
                t -> "pk");
        assertThat(store.accesses()).allMatch(a -> gateway.allows(a.action(), TABLE + a.table(), DynamoCall.context(a)));
        DynamoCall overwriteMap = DynamoCall.of("DynamoDB_20120810.TransactWriteItems", json.readTree("""
                {"TransactItems":[{"Put":{"TableName":"control","Item":{"pk":{"S":"op#op-1-abc"}}}},
                 {"Put":{"TableName":"control","Item":{"pk":{"S":"shardmap"}}}}]}"""), t -> "pk");
        assertThat(overwriteMap.accesses()).extracting(a -> gateway.allows(a.action(), TABLE + a.table(), DynamoCall.context(a)))
                .containsExactly(true, false);
        DynamoCall update = DynamoCall.of("DynamoDB_20120810.TransactWriteItems", json.readTree("""
                {"TransactItems":[{"Update":{"TableName":"control","Key":{"pk":{"S":"op#op-1-abc"}}}}]}"""), t -> "pk");
        assertThat(gateway.allows(update.accesses().get(0).action(), TABLE + "control", DynamoCall.context(update.accesses().get(0))))
                .as("no UpdateItem, not even on op# keys").isFalse();
    }

    @Test
    void aStreamCallIsAuthorizedOnItsStreamInTheDeploymentsRegion() throws Exception {
        ObjectMapper json = new ObjectMapper();
        // DynamoDB Local's ARNs carry its own region ("ddblocal"): only the part after table/ is kept.
        String local = "arn:aws:dynamodb:ddblocal:000000000000:table/shardkv-a-l-leader/stream/2026-12-01T13:27:57.306";
        DynamoCall describe = DynamoCall.of("DynamoDBStreams_20120810.DescribeStream",
                json.readTree("{\"StreamArn\":\"" + local + "\",\"Limit\":100}"), t -> "pk");
        DynamoCall iterator = DynamoCall.of("DynamoDBStreams_20120810.GetShardIterator", json.readTree(
                "{\"StreamArn\":\"" + local + "\",\"ShardId\":\"shardId-1\",\"ShardIteratorType\":\"TRIM_HORIZON\"}"), t -> "pk");
        DynamoCall records = DynamoCall.of("DynamoDBStreams_20120810.GetRecords",
                json.readTree("{\"ShardIterator\":\"" + local + "|001|c2hhcmRJZA==\",\"Limit\":1000}"), t -> "pk");
        String stream = "shardkv-a-l-leader/stream/2026-12-01T13:27:57.306";
        assertThat(describe.accesses()).containsExactly(new DynamoCall.Access("dynamodb:DescribeStream", stream, List.of()));
        assertThat(iterator.accesses()).containsExactly(new DynamoCall.Access("dynamodb:GetShardIterator", stream, List.of()));
        assertThat(records.accesses()).containsExactly(new DynamoCall.Access("dynamodb:GetRecords", stream, List.of()));

        IamPolicy resharder = IamPolicy.parse("""
                {"Statement":[{"Sid":"LeaderStreams","Effect":"Allow",
                 "Action":["dynamodb:DescribeStream","dynamodb:GetShardIterator","dynamodb:GetRecords"],
                 "Resource":["%sshardkv-a-l-leader/stream/*"]}]}""".formatted(TABLE));
        for (DynamoCall call : List.of(describe, iterator, records)) {
            DynamoCall.Access a = call.accesses().get(0);
            assertThat(resharder.allows(a.action(), TABLE + a.table(), DynamoCall.context(a))).as(a.action()).isTrue();
        }
        DynamoCall replicaStream = DynamoCall.of("DynamoDBStreams_20120810.GetRecords", json.readTree(
                "{\"ShardIterator\":\"arn:aws:dynamodb:ddblocal:000000000000:table/shardkv-a-l-replica-1/stream/x|001|y\"}"),
                t -> "pk");
        assertThat(resharder.allows("dynamodb:GetRecords", TABLE + replicaStream.accesses().get(0).table(), Map.of())).isFalse();
        DynamoCall garbage = DynamoCall.of("DynamoDBStreams_20120810.GetRecords", json.readTree("{\"ShardIterator\":\"nonsense\"}"),
                t -> "pk");
        assertThat(resharder.allows("dynamodb:GetRecords", TABLE + garbage.accesses().get(0).table(), Map.of())).isFalse();
    }

    @Test
    void anExplicitDenyWinsAndAnUnknownConditionFailsClosed() {
        IamPolicy p = IamPolicy.parse("""
                {"Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"},
                 {"Effect":"Deny","Action":"dynamodb:DeleteItem","Resource":"*"},
                 {"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"1.2.3.4"}}}]}""");
        assertThat(p.allows("dynamodb:GetItem", TABLE + "x", Map.of())).isTrue();
        assertThat(p.allows("dynamodb:DeleteItem", TABLE + "x", Map.of())).isFalse();
        assertThat(p.allows("sqs:SendMessage", "arn:aws:sqs:us-east-1:0:q", Map.of())).isFalse();
    }

    @Test
    void eachDynamoCallAsksForTheActionsAwsAuthorizesItWith() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DynamoCall tx = DynamoCall.of("DynamoDB_20120810.TransactWriteItems", json.readTree("""
                {"TransactItems":[{"Update":{"TableName":"a","Key":{"pk":{"S":"k1"}}}},
                 {"ConditionCheck":{"TableName":"b","Key":{"pk":{"S":"k2"}}}},
                 {"Put":{"TableName":"c","Item":{"pk":{"S":"k3"},"v":{"N":"1"}}}},
                 {"Delete":{"TableName":"d","Key":{"pk":{"S":"k4"}}}}]}"""), t -> "pk");
        assertThat(tx.accesses()).containsExactly(new DynamoCall.Access("dynamodb:UpdateItem", "a", List.of("k1")),
                new DynamoCall.Access("dynamodb:ConditionCheckItem", "b", List.of("k2")),
                new DynamoCall.Access("dynamodb:PutItem", "c", List.of("k3")),
                new DynamoCall.Access("dynamodb:DeleteItem", "d", List.of("k4")));
        DynamoCall batch = DynamoCall.of("DynamoDB_20120810.BatchWriteItem", json.readTree("""
                {"RequestItems":{"r1":[{"PutRequest":{"Item":{"pk":{"S":"x"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"y"}}}}]}}"""),
                t -> "pk");
        assertThat(batch.accesses()).containsExactly(new DynamoCall.Access("dynamodb:BatchWriteItem", "r1", List.of("x", "y")));
        DynamoCall get = DynamoCall.of("DynamoDB_20120810.BatchGetItem", json.readTree("""
                {"RequestItems":{"r1":{"Keys":[{"pk":{"S":"x"}}],"ConsistentRead":true}}}"""), t -> "pk");
        assertThat(get.accesses()).containsExactly(new DynamoCall.Access("dynamodb:BatchGetItem", "r1", List.of("x")));
        DynamoCall scan = DynamoCall.of("DynamoDB_20120810.Scan", json.readTree("{\"TableName\":\"r1\"}"), t -> "pk");
        assertThat(scan.accesses()).containsExactly(new DynamoCall.Access("dynamodb:Scan", "r1", List.of()));
    }
}
