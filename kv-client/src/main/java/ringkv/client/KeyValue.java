package ringkv.client;

import com.google.protobuf.ByteString;

/**
 * A key with its value and history counters.
 *
 * @param createRevision revision of the write that created the key (since its last deletion)
 * @param modRevision revision of the last write to the key
 * @param version number of writes since the key was created (1 after the first put)
 */
public record KeyValue(
    ByteString key, ByteString value, long createRevision, long modRevision, long version) {}
