package dev.tokenbroker.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/** Reads, or creates once with mode 0600, small secret files in the data dir. */
public final class SecretFiles {

  private SecretFiles() {}

  /** Returns the file's content, creating it from {@code generator} if it does not exist yet. */
  public static String readOrCreate(Path file, Supplier<String> generator) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      String content = generator.get();
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, content + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      return content;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create " + file, e);
    }
  }
}
