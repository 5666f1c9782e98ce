package dev.shardkv.core.tx;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One operation of a transaction.
 *
 * @param value   for puts: the value as compact JSON text
 * @param version the condition: the live version the key must have; 0: the key must not exist
 *                (or be deleted); null: no condition (required for checks)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TxOp(TxKind op, String key, String value, Long version) {
}
