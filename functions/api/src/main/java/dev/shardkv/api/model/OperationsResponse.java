package dev.shardkv.api.model;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The splits and merges, newest first, at most 100. */
@Schema(name = "AdminOperations")
public record OperationsResponse(@Schema(description = "Newest first, at most 100") List<OperationView> operations) {
}
