package ringkv.chaos.fault;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The faults done to processes: kill -9 and restart, SIGSTOP/SIGCONT, leader transfer storms. */
public final class ProcessFaults {
  private ProcessFaults() {}

  /** kill -9 of a shard leader or (one time in three) a random node; the heal starts it again on its data. */
  public static Fault killAndRestart(int shards) {
    return Fault.of("kill", (cluster, random) -> {
      int victim = random.nextInt(3) == 0 ? random.nextInt(cluster.size()) : Victims.shardLeader(cluster, random, shards);
      cluster.processes().killNode(victim);
      return new Fault.Injected("kill -9 " + Victims.name(cluster, victim) + "; restarted on heal",
          () -> cluster.processes().restartNode(victim));
    });
  }

  /**
   * SIGSTOP of a shard leader for the whole hold (longer than an election timeout): it keeps its
   * sockets and leadership claims, then wakes up behind a new leader.
   */
  public static Fault pause(int shards) {
    return Fault.of("pause", (cluster, random) -> {
      int victim = Victims.shardLeader(cluster, random, shards);
      cluster.processes().pauseNode(victim);
      return new Fault.Injected("SIGSTOP " + Victims.name(cluster, victim) + " (a shard leader); SIGCONT on heal",
          () -> cluster.processes().resumeNode(victim));
    });
  }

  /**
   * Moves the leadership of random shards and of the meta group, one after another, until the
   * heal: every transfer is an election the clients see.
   */
  public static Fault leaderTransferStorm(int shards, Duration pause) {
    return Fault.of("transfer-storm", (cluster, random) -> {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger moved = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicReference<String> lastError = new AtomicReference<>("");
      long seed = random.nextLong();
      Thread storm = new Thread(() -> {
        Random own = new Random(seed);
        while (!stop.get()) {
          int group = own.nextInt(shards + 1) - 1; // -1 = meta
          try {
            cluster.transferLeadership(own.nextInt(cluster.size()), group);
            moved.incrementAndGet();
          } catch (RuntimeException e) {
            // a transfer that times out during an election is part of the storm
            failed.incrementAndGet();
            lastError.set(e.getMessage());
          }
          sleep(pause);
        }
      }, "chaos-transfer-storm");
      storm.setDaemon(true);
      storm.start();
      return new Fault.Injected("moving leaderships of random groups every " + pause.toMillis() + " ms until heal", () -> {
        stop.set(true);
        try {
          storm.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, () -> moved.get() + " transfers done, " + failed.get() + " failed"
          + (lastError.get().isEmpty() ? "" : ", the last with: " + lastError.get()));
    });
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
