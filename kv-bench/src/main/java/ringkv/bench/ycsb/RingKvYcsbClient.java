package ringkv.bench.ycsb;

import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The YCSB binding for RingKV: {@code bin/ringkv-ycsb load|run -P workload} or
 * {@code -db ringkv.bench.ycsb.RingKvYcsbClient}. Properties: {@link RingKvYcsbSettings}; the
 * semantics (record encoding, update by version-checked read-merge-write, scans): {@link RecordStoreDb}.
 * Every YCSB thread of the JVM shares one {@code KvClient} per distinct settings.
 */
public final class RingKvYcsbClient extends RecordStoreDb {
  private static final SharedStores<RingKvYcsbSettings, RingKvRecordStore> CLIENTS = new SharedStores<>();

  private @Nullable RingKvYcsbSettings settings;

  @Override
  protected RecordStore acquireStore(Properties properties) {
    RingKvYcsbSettings parsed = RingKvYcsbSettings.from(properties);
    RecordStore store = CLIENTS.acquire(parsed, RingKvRecordStore::open);
    settings = parsed;
    return store;
  }

  @Override
  protected void releaseStore() throws Exception {
    RingKvYcsbSettings s = settings;
    if (s != null) {
      settings = null;
      CLIENTS.release(s);
    }
  }

  /** Clients still held by YCSB threads with these settings (for tests). */
  static int users(RingKvYcsbSettings settings) {
    return CLIENTS.users(settings);
  }
}
