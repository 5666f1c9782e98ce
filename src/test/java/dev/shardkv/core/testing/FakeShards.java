package dev.shardkv.core.testing;

import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A ShardClient that records every call and answers as the test says. */
public final class FakeShards implements ShardClient {
    public static final String WRITER = "writer";
    public static final String READER = "reader";
    public static final String COORDINATOR = "coordinator";

    /** One call: to a writer, a reader (of {@code shard}) or the coordinator (shard null). */
    public record Call(String to, String shard, ShardRequest request) {
        public boolean isWriter() {
            return to.equals(WRITER);
        }

        public boolean isReader() {
            return to.equals(READER);
        }

        /** The request as the kind the test expects (a ClassCastException, failing the test, if it is another). */
        public <T extends ShardRequest> T request(Class<T> kind) {
            return kind.cast(request);
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<Call, ShardResponse> answer;

    public FakeShards(Function<Call, ShardResponse> answer) {
        this.answer = answer;
    }

    public void answer(Function<Call, ShardResponse> answer) {
        this.answer = answer;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls to writers, readers or the coordinator only. */
    public List<Call> callsTo(String to) {
        return calls.stream().filter(c -> c.to().equals(to)).toList();
    }

    @Override
    public ShardResponse writer(String shard, ShardRequest request) {
        return call(new Call(WRITER, shard, request));
    }

    @Override
    public ShardResponse reader(String shard, ShardRequest request) {
        return call(new Call(READER, shard, request));
    }

    @Override
    public ShardResponse coordinator(ShardRequest request) {
        return call(new Call(COORDINATOR, null, request));
    }

    private ShardResponse call(Call call) {
        calls.add(call);
        return answer.apply(call);
    }
}
