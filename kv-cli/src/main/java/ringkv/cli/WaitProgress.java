package ringkv.cli;

import java.util.function.ToIntFunction;
import ringkv.api.v1.ClusterMap;

/** What a {@link MapWait} says about the change it waits for: progress, and why it stopped. */
interface WaitProgress {
  /** The progress line for {@code map}; printed on standard error whenever it changes. */
  String line(ClusterMap map);

  /** The error when {@code --wait-timeout} ({@code waitTimeout}, formatted) ran out at map. */
  String ranOut(ClusterMap map, String waitTimeout);

  /** The error when the wait was interrupted (Ctrl-C). */
  String interrupted();

  /**
   * Moves the meta leader carries out in the background: {@code shard 3: 2/5 partitions moved}.
   * When kvctl stops waiting the moves go on, so its errors say so and point at cluster status.
   *
   * @param what the moving things, plural: {@code partitions}, {@code replicas}
   * @param planned how many were to move
   * @param left how many of them a map still shows moving
   */
  static WaitProgress moves(
      String subject, String what, int planned, ToIntFunction<ClusterMap> left) {
    return new WaitProgress() {
      @Override
      public String line(ClusterMap map) {
        int moved = Math.max(0, planned - left.applyAsInt(map));
        return subject + ": " + moved + "/" + planned + " " + what + " moved";
      }

      @Override
      public String ranOut(ClusterMap map, String waitTimeout) {
        return line(map) + " when --wait-timeout " + waitTimeout + " ran out; " + GOES_ON;
      }

      @Override
      public String interrupted() {
        return subject + ": interrupted while waiting; " + GOES_ON;
      }
    };
  }

  /** The end of a moves wait's errors. */
  String GOES_ON = "the moves go on (see kvctl cluster status)";
}
