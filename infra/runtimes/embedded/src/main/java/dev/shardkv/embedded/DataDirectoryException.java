package dev.shardkv.embedded;

/** The data directory cannot be used (not creatable, not writable, or in use); the message says what to do. */
public final class DataDirectoryException extends IllegalStateException {
    public DataDirectoryException(String message) {
        super(message);
    }

    public DataDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
