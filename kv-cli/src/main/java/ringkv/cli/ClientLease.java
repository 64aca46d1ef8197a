package ringkv.cli;

import ringkv.client.KvClient;

/**
 * The client one command uses. Closing the lease closes the client when the command opened it; in
 * {@code kvctl shell} the client is shared by every line and closed when the shell ends.
 *
 * @param owned whether closing the lease closes the client
 */
record ClientLease(KvClient kv, boolean owned) implements AutoCloseable {
  @Override
  public void close() {
    if (owned) {
      kv.close();
    }
  }
}
