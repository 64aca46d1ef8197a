package ringkv.bench.etcd;

import java.util.Properties;
import org.jspecify.annotations.Nullable;
import ringkv.bench.ycsb.RecordStore;
import ringkv.bench.ycsb.RecordStoreDb;
import ringkv.bench.ycsb.SharedStores;

/**
 * The YCSB binding for etcd ({@code bin/ringkv-ycsb ... --db etcd}), with exactly the RingKV
 * binding's semantics ({@link RecordStoreDb}: same record encoding, same version-checked
 * read-merge-write update, same scans) so that the two can be compared. Properties:
 * {@link EtcdYcsbSettings}. Every YCSB thread of the JVM shares one jetcd {@code Client} per
 * distinct settings.
 */
public final class EtcdYcsbClient extends RecordStoreDb {
  private static final SharedStores<EtcdYcsbSettings, EtcdRecordStore> CLIENTS = new SharedStores<>();

  private @Nullable EtcdYcsbSettings settings;

  @Override
  protected RecordStore acquireStore(Properties properties) {
    EtcdYcsbSettings parsed = EtcdYcsbSettings.from(properties);
    RecordStore store = CLIENTS.acquire(parsed, EtcdRecordStore::open);
    settings = parsed;
    return store;
  }

  @Override
  protected void releaseStore() throws Exception {
    EtcdYcsbSettings s = settings;
    if (s != null) {
      settings = null;
      CLIENTS.release(s);
    }
  }

  /** Clients still held by YCSB threads with these settings (for tests). */
  static int users(EtcdYcsbSettings settings) {
    return CLIENTS.users(settings);
  }
}
