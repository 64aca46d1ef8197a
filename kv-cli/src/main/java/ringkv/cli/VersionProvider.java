package ringkv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code kvctl --version}: the project version, which the build writes into a resource. */
public final class VersionProvider implements IVersionProvider {
  private static final String RESOURCE = "/ringkv/cli/version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"kvctl " + version(), "java " + Runtime.version()};
  }

  /** The version, or {@code unknown} when kvctl runs from unfiltered resources (an IDE). */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
