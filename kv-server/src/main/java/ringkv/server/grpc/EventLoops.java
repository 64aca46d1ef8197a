package ringkv.server.grpc;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The API server's own Netty event loops: one thread accepting connections and a fixed number
 * reading, running and answering calls; epoll on Linux, NIO elsewhere.
 *
 * <p>Why not gRPC's default: it shares two loops per core among every server and channel of the
 * JVM. Fewer loops carry more messages per wake-up, and on 2 cores one per core measured better
 * (docs/benchmarks.md, "Making it fast", step 13).
 */
record EventLoops(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType)
    implements AutoCloseable {

  static EventLoops of(int workerThreads) {
    if (workerThreads < 1) {
      throw new IllegalArgumentException("event-loop threads must be >= 1, got " + workerThreads);
    }
    ThreadFactory bossThreads = named("api-accept-%d");
    ThreadFactory workerNames = named("api-event-loop-%d");
    if (Epoll.isAvailable()) {
      return new EventLoops(new EpollEventLoopGroup(1, bossThreads), new EpollEventLoopGroup(workerThreads, workerNames),
          EpollServerSocketChannel.class);
    }
    return new EventLoops(new NioEventLoopGroup(1, bossThreads), new NioEventLoopGroup(workerThreads, workerNames),
        NioServerSocketChannel.class);
  }

  private static ThreadFactory named(String format) {
    return new ThreadFactoryBuilder().setDaemon(true).setNameFormat(format).build();
  }

  /** Stops the loops at once (the server has stopped its calls before) and waits a moment for them. */
  @Override
  public void close() {
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
