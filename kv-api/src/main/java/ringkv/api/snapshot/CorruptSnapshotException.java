package ringkv.api.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that is truncated, of an unknown format, or fails its checksum. */
public final class CorruptSnapshotException extends IOException {
  private final Path file;

  public CorruptSnapshotException(Path file, String problem) {
    super("corrupt snapshot " + file + ": " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
