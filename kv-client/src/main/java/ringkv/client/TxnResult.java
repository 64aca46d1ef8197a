package ringkv.client;

import java.util.List;

/**
 * The outcome of a {@link Txn}. A condition that failed is not an error: {@code succeeded} is
 * false and {@code results} hold the answers of the {@code otherwise} ops.
 *
 * @param results one per op of the branch that ran, in order: {@link PutResult},
 *     {@link GetResult} or {@link DeleteResult}
 */
public record TxnResult(ResponseMeta meta, boolean succeeded, List<Object> results) {
  public TxnResult {
    results = List.copyOf(results);
  }
}
