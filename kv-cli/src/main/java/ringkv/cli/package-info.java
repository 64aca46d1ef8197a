/** {@code kvctl}, the RingKV command-line client, built with picocli on {@link ringkv.client}. */
@NullMarked
package ringkv.cli;

import org.jspecify.annotations.NullMarked;
