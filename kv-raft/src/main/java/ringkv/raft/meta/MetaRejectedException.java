package ringkv.raft.meta;

import ringkv.api.v1.MetaRejectReason;

/** A meta command that was refused; the map is unchanged. */
public final class MetaRejectedException extends RuntimeException {
  private final MetaRejectReason reason;

  public MetaRejectedException(MetaRejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public MetaRejectReason reason() {
    return reason;
  }
}
