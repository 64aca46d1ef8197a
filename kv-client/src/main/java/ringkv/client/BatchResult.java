package ringkv.client;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * The outcome of a batch. A batch is grouped by shard; each shard's group is applied atomically,
 * but groups of different shards succeed or fail on their own, so look at every item.
 *
 * @param items one per item, in request order
 */
public record BatchResult(ResponseMeta meta, List<Item> items) {
  public BatchResult {
    items = List.copyOf(items);
  }

  /**
   * One item's outcome.
   *
   * @param error empty when ok; otherwise why the item's shard group failed
   * @param deleted for deletes: whether the key existed
   */
  public record Item(ByteString key, boolean ok, long revision, int shardId, String error, boolean deleted) {}

  public boolean allOk() {
    return items.stream().allMatch(Item::ok);
  }
}
