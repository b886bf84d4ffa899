package dev.tokenbroker.support;

import dev.tokenbroker.outbound.HostResolver;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resolver whose answers for some names a test scripts, as an attacker's DNS server would: each
 * lookup takes the next answer, the last one stays. Other names resolve as usual.
 */
@Mock
@ApplicationScoped
public class ScriptedResolver extends HostResolver {

  private static final Map<String, Deque<String>> ANSWERS = new ConcurrentHashMap<>();

  /** The addresses that successive lookups of {@code host} return, one per lookup. */
  public static void answer(String host, String... addresses) {
    ANSWERS.put(host, new ArrayDeque<>(java.util.List.of(addresses)));
  }

  public static void forget(String host) {
    ANSWERS.remove(host);
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    Deque<String> answers = ANSWERS.get(host);
    if (answers == null) {
      return super.resolve(host);
    }
    String address;
    synchronized (answers) {
      address = answers.size() > 1 ? answers.poll() : answers.peek();
    }
    return new InetAddress[] {
      InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())
    };
  }
}
