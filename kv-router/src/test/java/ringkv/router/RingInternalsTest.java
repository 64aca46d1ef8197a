package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of the package-private helpers {@link HashRing} and {@link Rebalancer}. */
class RingInternalsTest {

  @Test
  void hashRing_positions_areStandardMurmur3x64of128() {
    // Pinned (checked once against an independent MurmurHash3_x64_128 implementation), so that
    // a change of the ring hash, which would change every table, cannot go unnoticed.
    assertThat(hex(HashRing.partitionPosition(0))).isEqualTo("2f92af6b8dac64d2");
    assertThat(hex(HashRing.pointPosition(ShardId.of(0), 0))).isEqualTo("7f54950c6e6360d7");
    assertThat(hex(HashRing.pointPosition(ShardId.of(1), 0))).isEqualTo("5472931a6a4ff673");
  }

  @Test
  void hashRing_firstClockwise_wrapsAndSkipsRejectedShards() {
    List<ShardId> shards = List.of(ShardId.of(0), ShardId.of(1), ShardId.of(2));
    HashRing ring = HashRing.of(shards, 4);

    for (int p = 0; p < 50; p++) {
      long position = HashRing.partitionPosition(p);
      int successor = ring.successorShard(position);
      assertThat(ring.firstClockwise(position, s -> true)).isEqualTo(successor);
      assertThat(ring.firstClockwise(position, s -> s != successor)).isNotEqualTo(successor);
      for (int other = 0; other < 3; other++) {
        assertThat(
                Long.compareUnsigned(
                    ring.clockwiseDistanceToShard(position, successor),
                    ring.clockwiseDistanceToShard(position, other)))
            .isLessThanOrEqualTo(0);
      }
    }
    // the top of the ring (2^64 - 1 unsigned) wraps to the lowest point
    assertThat(ring.successorPoint(-1L)).isZero();
    assertThatThrownBy(() -> ring.firstClockwise(0, s -> false))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rebalancer_chainOfAllowedNodes_shiftsAlongThePath() {
    // node 0 holds items 0 and 1; item 1 may move to node 1, item 2 (on node 1) to node 2
    int[] load = {2, 1, 0};
    int[] assignment = {0, 0, 1};
    int[][] allowed = {{0}, {0, 1}, {1, 2}};

    int moves = Rebalancer.balance(load, assignment, allowed);

    assertThat(load).containsExactly(1, 1, 1);
    assertThat(assignment).containsExactly(0, 1, 2);
    assertThat(moves).isEqualTo(2);
  }

  @Test
  void rebalancer_noAllowedMove_leavesLoadAsIs() {
    int[] load = {3, 0};
    int[] assignment = {0, 0, 0};
    int[][] allowed = {{0}, {0}, {0}};

    assertThat(Rebalancer.balance(load, assignment, allowed)).isZero();
    assertThat(load).containsExactly(3, 0);
  }

  private static String hex(long value) {
    return String.format("%016x", value);
  }
}
