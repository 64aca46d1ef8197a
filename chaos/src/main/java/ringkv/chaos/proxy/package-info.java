/**
 * An in-JVM TCP fault-injection proxy that speaks the Toxiproxy HTTP API, so the toxiproxy-java
 * client (and any other Toxiproxy client) can drive it without a Go binary or Docker. Start at
 * {@link ringkv.chaos.proxy.ToxiproxyServer}.
 */
@NullMarked
package ringkv.chaos.proxy;

import org.jspecify.annotations.NullMarked;
