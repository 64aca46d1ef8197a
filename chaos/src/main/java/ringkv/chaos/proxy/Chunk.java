package ringkv.chaos.proxy;

import java.util.Arrays;

/**
 * Bytes read in one go from a socket and the time they arrived ({@link System#nanoTime()}), which
 * latency is measured from. The array is never changed after construction.
 */
final class Chunk {
  private final byte[] data;
  private final long arrivalNanos;

  Chunk(byte[] data, long arrivalNanos) {
    this.data = data;
    this.arrivalNanos = arrivalNanos;
  }

  byte[] data() {
    return data;
  }

  int size() {
    return data.length;
  }

  long arrivalNanos() {
    return arrivalNanos;
  }

  Chunk slice(int from, int to) {
    return new Chunk(Arrays.copyOfRange(data, from, to), arrivalNanos);
  }

  Chunk withArrival(long nanos) {
    return new Chunk(data, nanos);
  }
}
