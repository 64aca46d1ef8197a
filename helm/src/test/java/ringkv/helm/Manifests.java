package ringkv.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The objects one `helm template` rendered, parsed as typed Kubernetes objects. */
record Manifests(String yaml, List<HasMetadata> objects) {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  Manifests {
    objects = List.copyOf(objects);
  }

  /** Parses helm's multi-document output; a wrong type (e.g. replicas: abc) throws here. */
  static Manifests parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    List<HasMetadata> objects;
    if (parsed instanceof List<?> list) {
      objects = list.stream().map(HasMetadata.class::cast).toList();
    } else {
      objects = List.of((HasMetadata) parsed);
    }
    return new Manifests(yaml, objects);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    assertThat(found).as("rendered objects of kind %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  <T extends HasMetadata> T named(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in " + kindsAndNames()));
  }

  StatefulSet statefulSet() {
    return one(StatefulSet.class);
  }

  /** The kv-server container of the StatefulSet's pod template. */
  Container node() {
    List<Container> containers = statefulSet().getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("kv-server");
    return containers.get(0);
  }

  /** The container's environment as a map of the literal values (no valueFrom). */
  Map<String, String> nodeEnv() {
    return node().getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
  }

  /** The container port with this name. */
  int nodePort(String name) {
    return node().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("kv-server has no port named " + name)).getContainerPort();
  }

  /** The layout hook Job of this step (remove-nodes, reshard): files/layout.sh. */
  Job layoutJob(String step) {
    return named(Job.class, statefulSet().getMetadata().getName() + "-" + step);
  }

  /** The single container of a Job's pod. */
  static Container container(Job job) {
    List<Container> containers = job.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).as("containers of Job %s", job.getMetadata().getName()).hasSize(1);
    return containers.get(0);
  }

  List<String> kindsAndNames() {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }
}
