package dev.shardkv.smoke;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AWS services each Terraform resource type calls, to check that an emulator example names an endpoint
 * for every one: a service without one is called on real AWS, and with test credentials the provider
 * retries it for many minutes (a table's server-side encryption reads its KMS key, which hung apply for 13).
 * A type missing here fails the check, so a resource of a new service cannot slip in unnoticed.
 */
final class EmulatorEndpoints {
    /** By resource type prefix (longest prefix wins); "managed:" resources, "data:" sources. */
    static final Map<String, Set<String>> SERVICES = Map.ofEntries(
            Map.entry("managed:aws_dynamodb_table", Set.of("dynamodb", "kms")), // SSE: the provider describes the KMS key
            Map.entry("managed:aws_dynamodb_", Set.of("dynamodb")),
            Map.entry("managed:aws_lambda_", Set.of("lambda")),
            Map.entry("managed:aws_iam_", Set.of("iam")),
            Map.entry("managed:aws_cloudwatch_log_", Set.of("logs")),
            Map.entry("managed:aws_cloudwatch_event_", Set.of("events")),
            Map.entry("managed:aws_cloudwatch_metric_alarm", Set.of("cloudwatch")),
            Map.entry("managed:aws_cloudwatch_dashboard", Set.of("cloudwatch")),
            Map.entry("managed:aws_sqs_", Set.of("sqs")),
            Map.entry("managed:aws_sns_", Set.of("sns")),
            Map.entry("managed:aws_apigatewayv2_", Set.of("apigatewayv2")),
            Map.entry("managed:aws_kms_", Set.of("kms")),
            Map.entry("data:aws_caller_identity", Set.of("sts")),
            Map.entry("data:aws_partition", Set.of()), // computed by the provider, no call
            Map.entry("data:aws_region", Set.of()));

    private EmulatorEndpoints() {
    }

    /** The services the plan's resource types call. */
    static TreeSet<String> services(Set<String> resourceTypes) {
        TreeSet<String> services = new TreeSet<>();
        for (String type : resourceTypes) {
            Set<String> s = servicesOf(type);
            if (s != null) {
                services.addAll(s);
            }
        }
        return services;
    }

    /** What is wrong: a service without an endpoint, or a type this check does not know yet. */
    static List<String> missing(Set<String> resourceTypes, Set<String> endpoints) {
        List<String> problems = new ArrayList<>();
        for (String type : resourceTypes) {
            Set<String> s = servicesOf(type);
            if (s == null) {
                problems.add(type + " is not in EmulatorEndpoints.SERVICES: add the services it calls there, and their endpoints");
                continue;
            }
            for (String service : s) {
                if (!endpoints.contains(service)) {
                    problems.add(type + " calls " + service + ", which has no endpoint in the example's provider block");
                }
            }
        }
        return problems;
    }

    private static Set<String> servicesOf(String type) {
        String best = null;
        for (String prefix : SERVICES.keySet()) {
            if (type.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : SERVICES.get(best);
    }
}
