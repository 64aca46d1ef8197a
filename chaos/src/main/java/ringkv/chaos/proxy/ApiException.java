package ringkv.chaos.proxy;

/**
 * A request the API refuses, with the HTTP status and message real Toxiproxy gives; it becomes
 * {@code {"error": message, "status": status}}.
 */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException proxyNotFound() {
    return new ApiException(404, "proxy not found");
  }

  static ApiException toxicNotFound() {
    return new ApiException(404, "toxic not found");
  }

  static ApiException badRequestBody() {
    return new ApiException(400, "bad request body");
  }

  static ApiException missingField(String field) {
    return new ApiException(400, "missing required field: " + field);
  }
}
