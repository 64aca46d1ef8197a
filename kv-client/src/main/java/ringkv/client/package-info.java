/** The RingKV Java client: interfaces, results and exceptions. Start at {@link ringkv.client.KvClient}. */
@NullMarked
package ringkv.client;

import org.jspecify.annotations.NullMarked;
