package ringkv.cli;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes local files whole, turning I/O errors into one-line messages. */
final class LocalFiles {
  private LocalFiles() {}

  static ByteString read(Path path) {
    try {
      return ByteString.copyFrom(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new CommandFailedException("cannot read " + path + ": " + describe(e), e);
    }
  }

  static void write(Path path, ByteString bytes) {
    try {
      Files.write(path, bytes.toByteArray());
    } catch (IOException e) {
      throw new CommandFailedException("cannot write " + path + ": " + describe(e), e);
    }
  }

  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
