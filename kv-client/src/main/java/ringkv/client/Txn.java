package ringkv.client;

import java.util.List;

/**
 * An atomic transaction inside one shard: if every condition holds, the {@code then} ops run,
 * otherwise the {@code otherwise} ops, all at one revision. Every key must live in one shard:
 * give related keys one hash tag ({@code {user42}:cart}, {@code {user42}:profile}); a Txn whose
 * keys span shards fails with {@link KvInvalidArgumentException} naming them.
 *
 * <pre>{@code
 * Txn.when(Condition.valueEquals(k, old)).then(TxnOp.put(k, fresh)).otherwise(TxnOp.get(k))
 * }</pre>
 */
public record Txn(List<Condition> conditions, List<TxnOp> then, List<TxnOp> otherwise) {
  public Txn {
    conditions = List.copyOf(conditions);
    then = List.copyOf(then);
    otherwise = List.copyOf(otherwise);
  }

  public static Txn when(Condition... conditions) {
    return new Txn(List.of(conditions), List.of(), List.of());
  }

  public Txn then(TxnOp... ops) {
    return new Txn(conditions, List.of(ops), otherwise);
  }

  public Txn otherwise(TxnOp... ops) {
    return new Txn(conditions, then, List.of(ops));
  }
}
