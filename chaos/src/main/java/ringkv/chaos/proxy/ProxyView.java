package ringkv.chaos.proxy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A consistent snapshot of one proxy, as the API returns it. */
record ProxyView(
    String name, String listen, String upstream, boolean enabled, List<ToxicSpec> toxics) {

  ProxyView {
    requireNonNull(name, "name");
    requireNonNull(listen, "listen");
    requireNonNull(upstream, "upstream");
    toxics = List.copyOf(toxics);
  }
}
