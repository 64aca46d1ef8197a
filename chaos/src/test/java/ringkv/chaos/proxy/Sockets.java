package ringkv.chaos.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Client-side socket helpers for the proxy tests. Every read has a timeout. */
final class Sockets {
  static final int READ_TIMEOUT_MILLIS = 5_000;

  /** How a read-until-the-end finished. */
  enum End {
    EOF,
    RESET
  }

  record ReadResult(byte[] bytes, End end) {}

  private Sockets() {}

  /** Connects to a {@code host:port} string as ToxiproxyClient returns it. */
  static Socket connect(String listen) throws IOException {
    int colon = listen.lastIndexOf(':');
    var socket = new Socket(InetAddress.getByName(listen.substring(0, colon)),
        Integer.parseInt(listen.substring(colon + 1)));
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    return socket;
  }

  static byte[] randomBytes(int size, long seed) {
    var bytes = new byte[size];
    var random = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  static byte[] readExactly(Socket socket, int size) throws IOException {
    var bytes = socket.getInputStream().readNBytes(size);
    if (bytes.length != size) {
      throw new IOException("stream ended after " + bytes.length + " of " + size + " bytes");
    }
    return bytes;
  }

  /** Reads until the peer closes (EOF) or resets the connection. */
  static ReadResult readUntilClosed(Socket socket) throws IOException {
    var out = new ByteArrayOutputStream();
    var buffer = new byte[8192];
    try {
      int n;
      while ((n = socket.getInputStream().read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
      return new ReadResult(out.toByteArray(), End.EOF);
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (SocketException e) {
      if (String.valueOf(e.getMessage()).toLowerCase().contains("reset")) {
        return new ReadResult(out.toByteArray(), End.RESET);
      }
      throw e;
    }
  }

  /** Returns true if nothing arrives within {@code millis}; consumes nothing otherwise. */
  static boolean staysSilent(Socket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      int b = socket.getInputStream().read();
      throw new AssertionError("expected silence, read " + (b < 0 ? "EOF" : "a byte"));
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    }
  }

  /** Sends {@code bytes} and reads the same number back, returning them. */
  static byte[] roundTrip(Socket socket, byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    return readExactly(socket, bytes.length);
  }

  static byte[] prefix(byte[] bytes, int length) {
    return Arrays.copyOf(bytes, length);
  }
}
