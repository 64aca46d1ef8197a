package ringkv.client;

import com.google.protobuf.ByteString;

/**
 * A condition on one key inside a {@link Txn}, checked against the key's state when the Txn is
 * applied. A missing key has version, create and mod revision 0 and no value (so a value
 * condition other than {@link Relation#NOT_EQUAL} fails on it).
 */
public record Condition(ByteString key, Target target, Relation relation, long number, ByteString value) {
  /** What a condition looks at. */
  public enum Target { VERSION, CREATE_REVISION, MOD_REVISION, VALUE, EXISTS }

  /** How the key's state relates to the condition's operand. */
  public enum Relation { EQUAL, NOT_EQUAL, GREATER, LESS }

  public static Condition valueEquals(ByteString key, ByteString value) {
    return new Condition(key, Target.VALUE, Relation.EQUAL, 0, value);
  }

  public static Condition value(ByteString key, Relation relation, ByteString value) {
    return new Condition(key, Target.VALUE, relation, 0, value);
  }

  public static Condition versionEquals(ByteString key, long version) {
    return version(key, Relation.EQUAL, version);
  }

  public static Condition version(ByteString key, Relation relation, long version) {
    return new Condition(key, Target.VERSION, relation, version, ByteString.EMPTY);
  }

  public static Condition createRevision(ByteString key, Relation relation, long revision) {
    return new Condition(key, Target.CREATE_REVISION, relation, revision, ByteString.EMPTY);
  }

  public static Condition modRevision(ByteString key, Relation relation, long revision) {
    return new Condition(key, Target.MOD_REVISION, relation, revision, ByteString.EMPTY);
  }

  public static Condition exists(ByteString key) {
    return new Condition(key, Target.EXISTS, Relation.EQUAL, 1, ByteString.EMPTY);
  }

  public static Condition absent(ByteString key) {
    return new Condition(key, Target.EXISTS, Relation.EQUAL, 0, ByteString.EMPTY);
  }
}
