package ringkv.server.groups;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ringkv.api.v1.ClusterMap;
import ringkv.api.v1.ForgetNode;
import ringkv.api.v1.MetaCommand;
import ringkv.api.v1.NodeInfo;
import ringkv.api.v1.SetMetaMembers;
import ringkv.raft.config.RaftTuning;
import ringkv.server.routing.ClusterMapView;

/**
 * Finishes Admin/RemoveNode on the meta leader, once the node's replica moves ({@link ReplicaMoves})
 * are under way: hands its meta group seat to a node that has none (an empty replica there, then
 * one membership change), and when it holds nothing any more, has the map forget it. Each step is
 * idempotent and retried on the next tick, by whichever node leads the meta group then.
 */
final class LeavingNodes {
  private static final Logger LOG = LoggerFactory.getLogger(LeavingNodes.class);

  private final HostedGroups groups;
  private final MetaClient meta;
  private final RaftTuning tuning;

  LeavingNodes(HostedGroups groups, MetaClient meta, RaftTuning tuning) {
    this.groups = groups;
    this.meta = meta;
    this.tuning = tuning;
  }

  void advance(ClusterMapView.Snapshot map) throws Exception {
    for (NodeInfo node : map.map().getNodesList()) {
      if (!node.getLeaving()) {
        continue;
      }
      if (map.map().getMetaMembersList().contains(node.getId())) {
        handOverMetaSeat(map, node.getId());
      } else if (holdsNothing(map.map(), node.getId())) {
        meta.submit(MetaCommand.newBuilder().setForgetNode(ForgetNode.newBuilder().setNodeId(node.getId())).build())
            .get(10, TimeUnit.SECONDS);
        LOG.info("node removed from the map node={}: it holds no replica and no meta seat; it can be stopped", node.getId());
      }
    }
  }

  private void handOverMetaSeat(ClusterMapView.Snapshot map, String leaving) throws Exception {
    RaftGroup current = groups.metaGroup(map);
    List<RaftPeer> members = new ArrayList<>(current.getPeers().stream().filter(p -> !p.getId().toString().equals(leaving)).toList());
    Optional<NodeInfo> successor = map.map().getNodesList().stream()
        .filter(n -> !n.getLeaving() && !map.map().getMetaMembersList().contains(n.getId())).findFirst();
    if (successor.isPresent()) {
      RaftPeer peer = HostedGroups.peer(successor.get(), 0);
      RaftClients.addEmptyReplica(current.getGroupId(), peer, tuning);
      members.add(peer);
    }
    RaftClients.setMembers(current, members, tuning);
    List<String> ids = members.stream().map(p -> p.getId().toString()).toList();
    meta.submit(MetaCommand.newBuilder().setSetMetaMembers(SetMetaMembers.newBuilder().addAllNodeIds(ids)).build())
        .get(10, TimeUnit.SECONDS);
    LOG.info("meta seat handed over from={} members={}", leaving, ids);
  }

  private static boolean holdsNothing(ClusterMap map, String node) {
    return map.getShardsList().stream().noneMatch(s -> s.getReplicasList().contains(node)
        || (s.hasMove() && (s.getMove().getFromNodeId().equals(node) || s.getMove().getToNodeId().equals(node))));
  }
}
