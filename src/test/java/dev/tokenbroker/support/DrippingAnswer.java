package dev.tokenbroker.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An answer whose head comes at once and whose body does not: 200, then {@code prefix} and 100
 * spaces, one every 200 ms (20 s in all), as a server that drips its answer would send it.
 */
public final class DrippingAnswer {

  private DrippingAnswer() {}

  /** Sends the answer; true when the client hung up before its end. */
  public static boolean send(HttpExchange exchange, String prefix) throws IOException {
    byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(200, head.length + 100L);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(head);
      for (int i = 0; i < 100; i++) {
        body.write(' ');
        body.flush();
        Thread.sleep(200);
      }
      return false;
    } catch (IOException clientLeft) {
      return true;
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      exchange.close();
    }
  }
}
