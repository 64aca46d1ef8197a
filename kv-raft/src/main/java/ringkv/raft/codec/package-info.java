/** The only place where log-entry and query bytes are parsed or written. */
@NullMarked
package ringkv.raft.codec;

import org.jspecify.annotations.NullMarked;
