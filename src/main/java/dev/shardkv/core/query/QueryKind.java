package dev.shardkv.core.query;

/** The queries no single key answers. */
public enum QueryKind {
    /** How many live items (optionally with a key prefix). */
    COUNT,
    /** The n items with the highest value of a numeric field. */
    TOP,
    /** Items with a key prefix that match a filter, a page at a time. */
    SCAN
}
