package ringkv.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the code against {@code golden/partition-vectors.csv}, the file other client
 * implementations check themselves against (its header explains the columns), and checks that the
 * hash is the standard MurmurHash3_x86_32 with a reference implementation written here from the
 * algorithm, independent of Guava.
 */
class PartitionVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static List<String[]> rows;

  @BeforeAll
  static void readVectors() throws IOException {
    rows = new ArrayList<>();
    try (InputStream in =
        PartitionVectorsTest.class.getResourceAsStream("/golden/partition-vectors.csv")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.startsWith("#") && !line.isEmpty() && !line.startsWith("kind,")) {
          rows.add(line.split(",", -1));
        }
      }
    }
  }

  @Test
  void vectors_coverAsciiBinaryAndHashTaggedKeys() {
    assertThat(rows).hasSizeGreaterThanOrEqualTo(200).allSatisfy(row -> assertThat(row).hasSize(6));
    assertThat(rows).anySatisfy(row -> assertThat(row[0]).isEqualTo("hex"));
    assertThat(rows).anySatisfy(row -> assertThat(row[0]).isEqualTo("ascii"));
    assertThat(rows).anySatisfy(row -> assertThat(row[1]).startsWith("{").contains("}"));
  }

  @Test
  void partitioner_everyVector_matchesHashKeyHashAndPartition() {
    var partitioner = new Partitioner(1024);
    for (String[] row : rows) {
      ByteString key = keyOf(row);
      ByteString hashKey = Partitioner.hashKeyOf(key);
      String what = String.join(",", row);

      assertThat(HEX.formatHex(hashKey.toByteArray())).as(what).isEqualTo(row[2]);
      assertThat(String.format("%08x", referenceMurmur3(hashKey.toByteArray(), 0)))
          .as(what)
          .isEqualTo(row[3]);
      assertThat(Hashing.murmur3_32_fixed().hashBytes(hashKey.toByteArray()).asInt())
          .as(what)
          .isEqualTo(referenceMurmur3(hashKey.toByteArray(), 0));
      assertThat(partitioner.partitionOf(key)).as(what).isEqualTo(Integer.parseInt(row[4]));
    }
  }

  @Test
  void initialTable_threeShards_matchesShardColumn() {
    PartitionTable table =
        BoundedLoadAssigner.withDefaults()
            .initial(Set.of(ShardId.of(0), ShardId.of(1), ShardId.of(2)));

    for (String[] row : rows) {
      assertThat(table.shardOf(Integer.parseInt(row[4])).value())
          .as(String.join(",", row))
          .isEqualTo(Integer.parseInt(row[5]));
    }
  }

  @Test
  void murmur3_publishedReferenceValues_match() {
    assertThat(guavaMurmur3("")).isEqualTo(0x00000000);
    assertThat(guavaMurmur3("hello")).isEqualTo(0x248bfa47);
    assertThat(guavaMurmur3("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
    assertThat(referenceMurmur3(new byte[0], 1)).isEqualTo(0x514e28b7);
    assertThat(referenceMurmur3("hello".getBytes(StandardCharsets.US_ASCII), 0))
        .isEqualTo(0x248bfa47);
  }

  @Test
  void hashTags_relatedKeys_shareAPartition() {
    var partitioner = new Partitioner(1024);
    int cart = partitioner.partitionOf(ByteString.copyFromUtf8("{user42}:cart"));

    assertThat(partitioner.partitionOf(ByteString.copyFromUtf8("{user42}:profile")))
        .isEqualTo(cart);
    assertThat(partitioner.partitionOf(ByteString.copyFromUtf8("user42"))).isEqualTo(cart);
  }

  private static ByteString keyOf(String[] row) {
    return switch (row[0]) {
      case "ascii" -> ByteString.copyFrom(row[1], StandardCharsets.US_ASCII);
      case "hex" -> ByteString.copyFrom(HEX.parseHex(row[1]));
      default -> throw new IllegalArgumentException("unknown kind " + row[0]);
    };
  }

  private static int guavaMurmur3(String ascii) {
    return Hashing.murmur3_32_fixed().hashString(ascii, StandardCharsets.US_ASCII).asInt();
  }

  /** MurmurHash3_x86_32 as in Austin Appleby's reference {@code MurmurHash3.cpp}. */
  static int referenceMurmur3(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k =
          (data[4 * i] & 0xff)
              | (data[4 * i + 1] & 0xff) << 8
              | (data[4 * i + 2] & 0xff) << 16
              | (data[4 * i + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        h ^= k;
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
