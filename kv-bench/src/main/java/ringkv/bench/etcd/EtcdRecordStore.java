package ringkv.bench.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import ringkv.bench.ycsb.RecordStore;

/**
 * A {@link RecordStore} over jetcd: linearizable ranges unless serializable reads were asked for,
 * a version-checked put as a one-compare transaction (the same step RingKV's
 * {@code compareAndSet(key, version, value)} takes). jetcd balances calls round-robin over the
 * endpoints; a member that is not the leader forwards writes and asks the leader for a read index.
 */
final class EtcdRecordStore implements RecordStore, AutoCloseable {
  private final Client client;
  private final KV kv;
  private final Duration deadline;
  private final GetOption getOption;
  private final boolean serializableReads;

  private EtcdRecordStore(Client client, EtcdYcsbSettings settings) {
    this.client = client;
    this.kv = client.getKVClient();
    this.deadline = settings.deadline();
    this.serializableReads = settings.serializableReads();
    this.getOption = GetOption.builder().withSerializable(serializableReads).build();
  }

  static EtcdRecordStore open(EtcdYcsbSettings settings) {
    Client client = Client.builder().endpoints(settings.endpoints().toArray(String[]::new)).build();
    return new EtcdRecordStore(client, settings);
  }

  @Override
  public @Nullable Versioned get(ByteString key) {
    GetResponse response = await(kv.get(ByteSequence.from(key), getOption));
    if (response.getKvs().isEmpty()) {
      return null;
    }
    var found = response.getKvs().get(0);
    return new Versioned(ByteString.copyFrom(found.getValue().getBytes()), found.getVersion());
  }

  @Override
  public void put(ByteString key, ByteString value) {
    await(kv.put(ByteSequence.from(key), ByteSequence.from(value)));
  }

  @Override
  public ConditionalPut putIfVersion(ByteString key, long expectedVersion, ByteString value) {
    // the same transaction as RingKV's compareAndSet: if version == expected then put, else get
    ByteSequence k = ByteSequence.from(key);
    TxnResponse response = await(kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(expectedVersion)))
        .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
        .Else(Op.get(k, GetOption.DEFAULT)).commit());
    if (response.isSucceeded()) {
      return ConditionalPut.WRITTEN;
    }
    List<KeyValue> found = response.getGetResponses().isEmpty()
        ? List.of() : response.getGetResponses().get(0).getKvs();
    return ConditionalPut.lost(found.isEmpty() ? null
        : new Versioned(ByteString.copyFrom(found.get(0).getValue().getBytes()), found.get(0).getVersion()));
  }

  @Override
  public void delete(ByteString key) {
    await(kv.delete(ByteSequence.from(key)));
  }

  @Override
  public List<ByteString> scan(ByteString start, ByteString end, int limit) {
    GetOption range = GetOption.builder().withRange(ByteSequence.from(end)).withLimit(limit)
        .withSerializable(serializableReads).build();
    GetResponse response = await(kv.get(ByteSequence.from(start), range));
    List<ByteString> values = new ArrayList<>(response.getKvs().size());
    response.getKvs().forEach(found -> values.add(ByteString.copyFrom(found.getValue().getBytes())));
    return values;
  }

  @Override
  public Failure describe(Exception failure) {
    return failureOf(failure);
  }

  static Failure failureOf(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof CallFailedException e) {
      return new Failure(e.code, e.getMessage());
    }
    if (t instanceof EtcdException e) {
      return new Failure(e.getErrorCode().name(), String.valueOf(e.getMessage()));
    }
    if (t instanceof StatusRuntimeException e) {
      return new Failure(e.getStatus().getCode().name(), String.valueOf(e.getStatus().getDescription()));
    }
    if (t instanceof StatusException e) {
      return new Failure(e.getStatus().getCode().name(), String.valueOf(e.getStatus().getDescription()));
    }
    return new Failure("UNKNOWN", t.toString());
  }

  @Override
  public void close() {
    client.close();
  }

  /** Waits for a call at most the deadline; failures come out unwrapped. */
  private <T> T await(CompletableFuture<T> call) {
    try {
      return call.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new CallFailedException("DEADLINE_EXCEEDED", "no answer within " + deadline.toMillis() + " ms");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new CallFailedException("CANCELLED", "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
    }
  }

  /** A call that failed on this side (deadline, interrupt), with the gRPC code it stands for. */
  static final class CallFailedException extends RuntimeException {
    private final String code;

    CallFailedException(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
