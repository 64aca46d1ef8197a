package ringkv.raft.shard;

import com.google.protobuf.ByteString;
import ringkv.api.v1.KeyValue;

/** A key's current value and its counters, as kept in the store. */
public record StoredValue(ByteString value, long createRevision, long modRevision, long version) {
  public StoredValue {
    if (createRevision < 0 || modRevision < createRevision || version < 1) {
      throw new IllegalArgumentException(
          "bad counters: createRevision=" + createRevision + " modRevision=" + modRevision
              + " version=" + version);
    }
  }

  /** The value a put at {@code revision} leaves behind, given the previous one (or null). */
  static StoredValue afterPut(StoredValue previous, ByteString value, long revision) {
    if (previous == null) {
      return new StoredValue(value, revision, revision, 1);
    }
    return new StoredValue(value, previous.createRevision, revision, previous.version + 1);
  }

  public KeyValue toKeyValue(ByteString key) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(value)
        .setCreateRevision(createRevision)
        .setModRevision(modRevision)
        .setVersion(version)
        .build();
  }

  public static StoredValue fromKeyValue(KeyValue kv) {
    return new StoredValue(kv.getValue(), kv.getCreateRevision(), kv.getModRevision(), kv.getVersion());
  }
}
