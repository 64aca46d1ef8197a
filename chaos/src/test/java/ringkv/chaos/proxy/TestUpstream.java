package ringkv.chaos.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 and a free port, standing in for the service behind a proxy. It
 * either echoes what it reads, or sends a greeting and closes. Everything it receives is recorded.
 */
final class TestUpstream implements AutoCloseable {
  private final ServerSocket listener;
  private final byte[] greeting;
  private final boolean echo;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final AtomicInteger connectionCount = new AtomicInteger();

  private TestUpstream(byte[] greeting, boolean echo) throws IOException {
    this.greeting = greeting;
    this.echo = echo;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    var thread = new Thread(this::acceptLoop, "test-upstream-accept");
    thread.setDaemon(true);
    thread.start();
  }

  /** Echoes every byte back on the same connection. */
  static TestUpstream echo() throws IOException {
    return new TestUpstream(new byte[0], true);
  }

  /** Writes {@code greeting} to each new connection and closes it. */
  static TestUpstream greetAndClose(byte[] greeting) throws IOException {
    return new TestUpstream(greeting, false);
  }

  String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  int connectionCount() {
    return connectionCount.get();
  }

  byte[] received() {
    synchronized (received) {
      return received.toByteArray();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        var socket = listener.accept();
        accepted.add(socket);
        connectionCount.incrementAndGet();
        var thread = new Thread(() -> serve(socket), "test-upstream-conn");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      if (!echo) {
        socket.getOutputStream().write(greeting);
        return;
      }
      InputStream in = socket.getInputStream();
      var buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (received) {
          received.write(buffer, 0, n);
        }
        socket.getOutputStream().write(buffer, 0, n);
      }
    } catch (IOException e) {
      // The proxy closed or reset the connection; that is what many tests do on purpose.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (var socket : accepted) {
      socket.close();
    }
  }
}
