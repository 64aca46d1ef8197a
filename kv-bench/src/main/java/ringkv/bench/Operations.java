package ringkv.bench;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import ringkv.client.AsyncKvClient;
import ringkv.client.KeyValue;
import ringkv.client.ReadOptions;
import ringkv.client.Scan;

/** Issues one operation of the configured workload through the async client. Thread-safe. */
final class Operations {
  /** How a successful operation ended. */
  enum Outcome {
    OK,
    /** A CAS that lost a race (succeeded = false): a valid answer, not an error. */
    CAS_CONFLICT
  }

  private final BenchSettings settings;
  private final AsyncKvClient client;
  private final KeySpace keys;
  private final ReadOptions readOptions;
  private final ByteString[] values;

  Operations(BenchSettings settings, AsyncKvClient client, KeySpace keys) {
    this.settings = settings;
    this.client = client;
    this.keys = keys;
    this.readOptions = settings.serializableReads() ? ReadOptions.SERIALIZABLE : ReadOptions.LINEARIZABLE;
    // a few distinct values, so successive writes of a key (and CAS) really change it
    this.values = new ByteString[16];
    for (int i = 0; i < values.length; i++) {
      values[i] = KeySpace.value(settings.valueSize(), settings.seed() + i);
    }
  }

  CompletableFuture<Outcome> issue(RandomGenerator random) {
    long index = keys.nextIndex(random);
    ByteString key = keys.key(index);
    return switch (settings.workload()) {
      case WRITE -> write(key, random);
      case READ -> read(key);
      case MIXED -> random.nextDouble() < settings.readRatio() ? read(key) : write(key, random);
      case CAS -> cas(key, random);
      case SCAN -> scan(index, key);
    };
  }

  private CompletableFuture<Outcome> write(ByteString key, RandomGenerator random) {
    return client.put(key, values[random.nextInt(values.length)]).thenApply(r -> Outcome.OK);
  }

  private CompletableFuture<Outcome> read(ByteString key) {
    return client.get(key, readOptions).thenApply(r -> Outcome.OK);
  }

  private CompletableFuture<Outcome> cas(ByteString key, RandomGenerator random) {
    ByteString next = values[random.nextInt(values.length)];
    return client.get(key, readOptions).thenCompose(current -> {
      KeyValue kv = current.kv();
      var write = kv != null ? client.compareAndSet(key, kv.value(), next) : client.putIfAbsent(key, next);
      return write.thenApply(r -> r.succeeded() ? Outcome.OK : Outcome.CAS_CONFLICT);
    });
  }

  private CompletableFuture<Outcome> scan(long index, ByteString start) {
    ByteString end = keys.key(Math.min(index + settings.scanLength(), keys.size() - 1));
    if (end.equals(start)) {
      end = start.concat(ByteString.copyFrom(new byte[] {0}));
    }
    return client.scan(Scan.range(start, end).withLimit(settings.scanLength())).thenApply(p -> Outcome.OK);
  }
}
