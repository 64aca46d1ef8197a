package ringkv.client.internal;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import ringkv.api.v1.WriteId;

/**
 * Numbers this client's writes for exactly-once application: one random client id per client
 * instance, sequences 1, 2, 3, ... across all shards, and the lowest sequence still in flight
 * (everything below it has had its final answer, so shards may forget those replies).
 *
 * <p>Thread-safe.
 */
final class WriteSequencer {
  private final ByteString clientId;
  private final AtomicLong lastSequence = new AtomicLong();
  private final ConcurrentSkipListSet<Long> inFlight = new ConcurrentSkipListSet<>();

  WriteSequencer(SecureRandom random) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    this.clientId = ByteString.copyFrom(id);
  }

  ByteString clientId() {
    return clientId;
  }

  /** A new write id; call {@link #complete} with its sequence once the caller has its answer. */
  WriteId next() {
    // Registered before the floor is computed, so the floor never passes this write.
    long sequence;
    synchronized (this) {
      sequence = lastSequence.incrementAndGet();
      inFlight.add(sequence);
    }
    long floor = inFlight.isEmpty() ? sequence : Math.min(inFlight.first(), sequence);
    return WriteId.newBuilder()
        .setClientId(clientId)
        .setSequence(sequence)
        .setFirstIncompleteSequence(floor)
        .build();
  }

  void complete(long sequence) {
    inFlight.remove(sequence);
  }

  /** The lowest sequence whose answer is still outstanding (tests and diagnostics). */
  long firstIncomplete() {
    return inFlight.isEmpty() ? lastSequence.get() + 1 : inFlight.first();
  }
}
