package ringkv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import ringkv.api.v1.ShardInfo;

/**
 * A replica move in flight, as the cluster map records it ({@code Admin/MoveReplica}): {@code to}
 * joins the shard's Raft group and {@code from} leaves it; the map swaps them in the shard's
 * replicas once the move is done.
 *
 * @param startedEpoch the epoch of the map that started the move (unsigned)
 */
record ShardMove(String from, String to, long startedEpoch) {
  /** The header of the column the cluster tables add while some shard moves a replica. */
  static final String COLUMN = "MOVING";

  /** The shard's move, or {@code null} when none is in flight. */
  static @Nullable ShardMove of(ShardInfo shard) {
    if (!shard.hasMove()) {
      return null;
    }
    return new ShardMove(
        shard.getMove().getFromNodeId(),
        shard.getMove().getToNodeId(),
        shard.getMove().getStartedEpoch());
  }

  /** A table cell: {@code n1->n4}, or {@code -} without a move. */
  static String cell(@Nullable ShardMove move) {
    return move == null ? "-" : move.from() + "->" + move.to();
  }

  /** {@code {"from":"n1","to":"n4","started_epoch":12}}, or {@code null} without a move. */
  static @Nullable JsonObject json(@Nullable ShardMove move) {
    return move == null
        ? null
        : new JsonObject()
            .field("from", move.from())
            .field("to", move.to())
            .number("started_epoch", Long.toUnsignedString(move.startedEpoch()));
  }

  /**
   * The lines of a shards table: {@code header} and {@code rows}, and a last {@value #COLUMN}
   * column ({@link #cell}) when some shard moves a replica.
   *
   * @param moves one per row, {@code null} for a shard without a move
   */
  static List<String> table(
      List<String> header, List<List<String>> rows, List<@Nullable ShardMove> moves) {
    boolean anyMove = moves.stream().anyMatch(Objects::nonNull);
    List<String> columns = new ArrayList<>(header);
    if (anyMove) {
      columns.add(COLUMN);
    }
    TextTable table = new TextTable(columns);
    for (int i = 0; i < rows.size(); i++) {
      List<String> row = new ArrayList<>(rows.get(i));
      if (anyMove) {
        row.add(cell(moves.get(i)));
      }
      table.row(row);
    }
    return table.lines();
  }
}
