/** Transport, routing, retries and write sessions behind {@link ringkv.client.KvClient}; not a public API. */
@NullMarked
package ringkv.client.internal;

import org.jspecify.annotations.NullMarked;
