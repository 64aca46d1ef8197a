package ringkv.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code kvctl health}: the gRPC health of every endpoint. */
@Command(
    name = "health",
    description = {
      "Checks the gRPC health of every endpoint.",
      "",
      "Calls grpc.health.v1.Health/Check (service \"\") on every endpoint at once and prints"
          + " one line per endpoint: 'HOST:PORT STATE [(detail)]'. Exits 0 only if every"
          + " endpoint is SERVING."
    })
public final class HealthCommand implements Callable<Integer> {
  @ParentCommand private KvctlMain root;

  @Override
  public Integer call() {
    List<String> endpoints = root.global().endpoints(root.context().env());
    List<EndpointHealth> results =
        root.context().health().check(endpoints, root.global().timeout());
    ResultPrinter printer = root.printer();
    results.forEach(r -> printer.line(r.line()));
    long notServing = results.stream().filter(r -> !r.isServing()).count();
    if (notServing > 0) {
      throw new CommandFailedException(
          notServing + " of " + results.size() + " endpoints not serving");
    }
    return ExitCodes.OK;
  }
}
