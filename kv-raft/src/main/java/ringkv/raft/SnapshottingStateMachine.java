package ringkv.raft;

import java.io.IOException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.util.LifeCycle;

/**
 * The lifecycle every RingKV state machine needs on Ratis 3.3: snapshot storage, loading the
 * newest snapshot at start and after a snapshot install, and correct pause/resume transitions.
 *
 * <p>Ratis' {@code BaseStateMachine} leaves the lifecycle in NEW on {@code pause()}; installing a
 * snapshot from the leader then fails its PAUSED assertion and kills the replica
 * (guides/ratis.md section 4). This class does the transitions properly.
 */
public abstract class SnapshottingStateMachine extends BaseStateMachine {
  protected final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(this::loadLatestSnapshot, IOException.class);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    loadLatestSnapshot();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  /** Replaces the in-memory state with the newest snapshot in {@link #storage}, if there is one. */
  protected abstract void loadLatestSnapshot() throws IOException;
}
