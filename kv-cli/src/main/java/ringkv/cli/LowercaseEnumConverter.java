package ringkv.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts an option value to an enum constant by its lowercase name, ignoring case. */
abstract class LowercaseEnumConverter<E extends Enum<E>> implements ITypeConverter<E> {
  private final Class<E> type;

  LowercaseEnumConverter(Class<E> type) {
    this.type = type;
  }

  @Override
  public E convert(String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    throw new TypeConversionException(
        "'"
            + value
            + "' is not one of "
            + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
