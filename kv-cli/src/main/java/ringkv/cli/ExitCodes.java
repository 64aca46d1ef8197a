package ringkv.cli;

/** The exit codes of {@code kvctl}; {@code docs/kvctl.md} documents them for script writers. */
public final class ExitCodes {
  /** The command did what was asked (for {@code del}, also when the key did not exist). */
  public static final int OK = 0;

  /** The command failed: a request error, a local I/O error, or an endpoint not serving. */
  public static final int FAILED = 1;

  /**
   * The command line is invalid (unknown option, bad hex, endpoint or duration); nothing was sent.
   */
  public static final int USAGE = 2;

  /**
   * {@code get} found no value for the key. Not an error, but distinct from success and failure.
   */
  public static final int NOT_FOUND = 3;

  /**
   * {@code cas}: the comparison did not hold, so nothing was written. Not an error, but distinct
   * from success and failure. ({@code txn} exits 0 whichever branch ran.)
   */
  public static final int COMPARE_FAILED = 4;

  private ExitCodes() {}
}
