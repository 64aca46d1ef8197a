/** Node configuration: records, defaults, and loading from file, environment and flags. */
@NullMarked
package ringkv.server.config;

import org.jspecify.annotations.NullMarked;
