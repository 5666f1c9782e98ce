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
