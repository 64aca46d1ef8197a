/** Load generation and measurement tools (docs/benchmarks.md). */
@NullMarked
package ringkv.bench;

import org.jspecify.annotations.NullMarked;
