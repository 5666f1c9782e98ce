package dev.shardkv.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.replication.ChangeRecord;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Between DynamoDB Streams records and the Lambda {@link DynamodbEvent}.
 *
 * <p>Lambda to domain uses AWS's events-sdk-transformer. The other way, stream records (SDK v2) to a
 * Lambda event, has no library (the transformer only goes from events to the SDK), so it is written
 * here once; the embedded runtime uses it to feed replicators the same event the AWS event source
 * mapping delivers, and a test holds it to the JSON of a real Lambda DynamoDB event. The change feed
 * goes through it too ({@link #toChange(Record)}), so there is one conversion to domain changes.
 */
public final class StreamEvents {
    /** DynamoDB's TTL deletes carry this principal in the record's userIdentity. */
    public static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    private StreamEvents() {
    }

    // --- stream records (SDK v2) -> Lambda event ---

    public static DynamodbEvent toLambdaEvent(List<Record> records, String streamArn) {
        List<DynamodbEvent.DynamodbStreamRecord> out = new ArrayList<>(records.size());
        for (Record record : records) {
            out.add(toLambdaRecord(record, streamArn));
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(out);
        return event;
    }

    public static DynamodbEvent.DynamodbStreamRecord toLambdaRecord(Record record, String streamArn) {
        software.amazon.awssdk.services.dynamodb.model.StreamRecord sdk = record.dynamodb();
        StreamRecord stream = new StreamRecord();
        if (sdk.approximateCreationDateTime() != null) {
            stream.setApproximateCreationDateTime(Date.from(sdk.approximateCreationDateTime()));
        }
        stream.setKeys(toLambdaMap(sdk.keys()));
        if (sdk.hasNewImage()) {
            stream.setNewImage(toLambdaMap(sdk.newImage()));
        }
        if (sdk.hasOldImage()) {
            stream.setOldImage(toLambdaMap(sdk.oldImage()));
        }
        stream.setSequenceNumber(sdk.sequenceNumber());
        stream.setSizeBytes(sdk.sizeBytes());
        if (sdk.streamViewTypeAsString() != null) {
            stream.setStreamViewType(StreamViewType.fromValue(sdk.streamViewTypeAsString()));
        }

        DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
        out.setEventID(record.eventID());
        out.setEventName(record.eventNameAsString());
        out.setEventVersion(record.eventVersion());
        out.setEventSource(record.eventSource());
        out.setAwsRegion(record.awsRegion());
        out.setDynamodb(stream);
        out.setEventSourceARN(streamArn);
        if (record.userIdentity() != null) {
            Identity identity = new Identity();
            identity.setPrincipalId(record.userIdentity().principalId());
            identity.setType(record.userIdentity().type());
            out.setUserIdentity(identity);
        }
        return out;
    }

    static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> toLambdaMap(
            Map<String, AttributeValue> sdk) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new LinkedHashMap<>();
        sdk.forEach((name, value) -> out.put(name, toLambdaValue(value)));
        return out;
    }

    static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue toLambdaValue(AttributeValue v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (v.type()) {
            case S -> out.setS(v.s());
            case N -> out.setN(v.n());
            case B -> out.setB(v.b().asByteBuffer());
            case SS -> out.setSS(v.ss());
            case NS -> out.setNS(v.ns());
            case BS -> out.setBS(v.bs().stream().map(SdkBytes::asByteBuffer).toList());
            case M -> out.setM(toLambdaMap(v.m()));
            case L -> out.setL(v.l().stream().map(StreamEvents::toLambdaValue).toList());
            case NUL -> out.setNULL(true);
            case BOOL -> out.setBOOL(v.bool());
            default -> throw new IllegalArgumentException("unknown attribute type " + v.type());
        }
        return out;
    }

    // --- Lambda event -> domain ---

    /**
     * A record read with the SDK, in domain terms: through the Lambda record the event source mapping
     * would deliver, so that a reader of the stream (a reshard's catch-up) sees exactly what the replicator sees.
     */
    public static ChangeRecord toChange(Record record) {
        return toChange(toLambdaRecord(record, null));
    }

    public static ChangeRecord toChange(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord stream = record.getDynamodb();
        String sequenceNumber = stream.getSequenceNumber();
        String key = stream.getKeys().get(ItemAttributes.PK).getS();
        if ("REMOVE".equals(record.getEventName())) {
            StoredItem old = stream.getOldImage() == null ? null
                    : ItemAttributes.fromItem(DynamodbAttributeValueTransformer.toAttributeValueMapV2(stream.getOldImage()));
            Identity who = record.getUserIdentity();
            boolean ttl = who != null && "Service".equals(who.getType()) && TTL_PRINCIPAL.equals(who.getPrincipalId());
            return new ChangeRecord(sequenceNumber, ttl ? ChangeRecord.Kind.TTL_EXPIRY : ChangeRecord.Kind.REMOVE, key,
                    null, old == null ? null : old.version());
        }
        if (stream.getNewImage() == null) {
            throw new IllegalArgumentException("stream record " + sequenceNumber
                    + " has no new image: the leader stream must use NEW_AND_OLD_IMAGES or NEW_IMAGE");
        }
        StoredItem item = ItemAttributes.fromItem(DynamodbAttributeValueTransformer.toAttributeValueMapV2(stream.getNewImage()));
        return ChangeRecord.upsert(sequenceNumber, item);
    }

}
