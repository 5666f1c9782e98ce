package dev.shardkv.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EmulatorEndpointsTest {

    @Test
    void aTableNeedsKmsToo() {
        assertThat(EmulatorEndpoints.missing(Set.of("managed:aws_dynamodb_table"), Set.of("dynamodb")))
                .containsExactly("managed:aws_dynamodb_table calls kms, which has no endpoint in the example's provider block");
        assertThat(EmulatorEndpoints.missing(Set.of("managed:aws_dynamodb_table", "managed:aws_dynamodb_table_item"),
                Set.of("dynamodb", "kms"))).isEmpty();
    }

    @Test
    void aResourceOfAServiceThisCheckDoesNotKnowFailsIt() {
        assertThat(EmulatorEndpoints.missing(Set.of("managed:aws_s3_bucket"), Set.of("s3")))
                .singleElement().asString().contains("aws_s3_bucket is not in EmulatorEndpoints.SERVICES");
    }

    @Test
    void dataSourcesCallTheirServiceOrNone() {
        assertThat(EmulatorEndpoints.services(Set.of("data:aws_caller_identity", "data:aws_region", "managed:aws_lambda_alias",
                "managed:aws_cloudwatch_log_group", "managed:aws_cloudwatch_event_rule"))).containsExactly("events", "lambda", "logs", "sts");
    }
}
