package dev.shardkv.dynamodb;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * The DynamoDB client of a Lambda function: the URL-connection HTTP client (small zip, quick cold
 * start), region and credentials from the Lambda environment, and an endpoint only for emulators.
 */
public final class DynamoClients {
    private DynamoClients() {
    }

    public static DynamoDbClient forFunction(Optional<URI> endpoint) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The DynamoDB Streams client of a Lambda function that reads streams itself (the resharder). */
    public static DynamoDbStreamsClient streamsForFunction(Optional<URI> endpoint) {
        DynamoDbStreamsClientBuilder builder = DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
