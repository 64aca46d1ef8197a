package ringkv.server;

/** A node could not start; the message is one line an operator can act on. */
public final class NodeStartException extends RuntimeException {
  public NodeStartException(String message) {
    super(message);
  }

  public NodeStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
