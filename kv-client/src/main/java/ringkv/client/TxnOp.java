package ringkv.client;

import com.google.protobuf.ByteString;

/** One operation of a {@link Txn} branch. */
public sealed interface TxnOp {
  record Put(ByteString key, ByteString value, boolean returnPrevious) implements TxnOp {}

  record Get(ByteString key) implements TxnOp {}

  record Delete(ByteString key, boolean returnPrevious) implements TxnOp {}

  static TxnOp put(ByteString key, ByteString value) {
    return new Put(key, value, false);
  }

  static TxnOp get(ByteString key) {
    return new Get(key);
  }

  static TxnOp delete(ByteString key) {
    return new Delete(key, false);
  }

  ByteString key();
}
