package dev.shardkv.functions.gateway;

import dev.shardkv.core.topology.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Wakes {@code {prefix}-resharder} with an asynchronous invoke of its alias: the admin request does not wait
 * for the operation, and an invocation that finds another one running operations returns at once.
 */
@Singleton
public class LambdaResharderWake implements ResharderWake {
    private static final SdkBytes EVENT = SdkBytes.fromUtf8String("{\"source\":\"shardkv.gateway\"}");
    private final LambdaClient lambda;
    private final String function;
    private final String qualifier;

    @Inject
    public LambdaResharderWake(LambdaClient lambda, Topology topology,
            @ConfigProperty(name = "shardkv.function-qualifier") String qualifier) {
        this.lambda = lambda;
        this.function = topology.resharderFunction();
        this.qualifier = qualifier;
    }

    @Override
    public void run() {
        lambda.invoke(b -> b.functionName(function).qualifier(qualifier).invocationType(InvocationType.EVENT)
                .payload(EVENT));
    }
}
