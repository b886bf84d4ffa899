package dev.tokenbroker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 requests sent as raw bytes over a socket, since HTTP clients refuse to send malformed
 * ones, and what the broker's problem+json answer to them must hold.
 */
public final class RawHttp {

  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
  private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  private RawHttp() {}

  /** The answer, read until its declared length (or the end of the connection). */
  public static String send(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        answer.write(buffer, 0, n);
        if (complete(answer.toString(StandardCharsets.UTF_8))) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  /** {@code status}, as problem+json with a {@code code}; {@code what} names the request. */
  public static void assertProblem(String answer, int status, String what) {
    Matcher line = STATUS.matcher(answer);
    assertTrue(line.find(), what + " -> " + answer);
    assertEquals(status, Integer.parseInt(line.group(1)), what + " -> " + answer);
    assertTrue(
        answer.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"),
        what + " -> " + answer);
    assertTrue(answer.contains("\"code\":\""), what + " -> " + answer);
  }

  private static boolean complete(String answer) {
    int headEnd = answer.indexOf("\r\n\r\n");
    Matcher length = LENGTH.matcher(answer);
    return headEnd >= 0
        && length.find()
        && answer.length() - headEnd - 4 >= Integer.parseInt(length.group(1));
  }
}
