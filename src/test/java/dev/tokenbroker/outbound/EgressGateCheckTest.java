package dev.tokenbroker.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.support.SettableClock;
import dev.tokenbroker.upstream.UpstreamConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check before a call, with and without a lookup: the proxy's calls on the event loop skip the
 * lookup only for an https host whose check passed within the last 30 s (the gate checks every
 * connection again in any case).
 */
class EgressGateCheckTest {

  private static final String API = "https://api.example.com/v2/assertions";
  private static final String WHAT = "the api_base_url of provider p";

  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private SettableClock clock;
  private EgressGate gate;

  @BeforeEach
  void gate() {
    clock = new SettableClock(Instant.parse("2026-12-07T12:00:00Z"));
    UpstreamConfig upstream = mock(UpstreamConfig.class);
    when(upstream.connectTimeout()).thenReturn(Duration.ofSeconds(2));
    HostResolver resolver =
        new HostResolver() {
          @Override
          public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.incrementAndGet();
            String address = answers.get(host);
            if (address == null) {
              throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
          }
        };
    OutboundConfig allowingLoopback = () -> Optional.of(List.of("127.0.0.1"));
    gate = new EgressGate(null, new OutboundPolicy(allowingLoopback), resolver, upstream, clock);
  }

  @Test
  void anHttpsHostIsDecidedWithoutALookupOnlyWithin30SecondsOfACheckThatPassed() {
    answers.put("api.example.com", "93.184.215.14");
    assertFalse(gate.requireAllowedWithoutLookup(WHAT, API), "never checked: a lookup decides");
    gate.requireAllowed(WHAT, API);
    assertEquals(1, lookups.get());

    clock.advance(Duration.ofSeconds(29));
    assertTrue(gate.requireAllowedWithoutLookup(WHAT, API));
    clock.advance(Duration.ofSeconds(1));
    assertFalse(gate.requireAllowedWithoutLookup(WHAT, API), "30 s on: a lookup decides again");
    assertEquals(1, lookups.get(), "the checks without a lookup made none");
  }

  @Test
  void aHostThatNowResolvesToARefusedAddressLosesItsPassedCheck() {
    answers.put("api.example.com", "93.184.215.14");
    gate.requireAllowed(WHAT, API);
    answers.put("api.example.com", "10.0.0.5");

    ApiException refused = assertThrows(ApiException.class, () -> gate.requireAllowed(WHAT, API));
    assertEquals(502, refused.status());
    assertEquals("url_not_allowed", refused.code());
    assertFalse(gate.requireAllowedWithoutLookup(WHAT, API), "the refusal replaced the pass");
  }

  @Test
  void aUrlThePolicyRefusesIsRefusedWithoutALookup() {
    for (String url :
        List.of(
            "http://api.example.com/v2", // http to a host not listed
            "https://169.254.169.254/latest", // the cloud metadata address
            "https://localhost/admin")) {
      ApiException refused =
          assertThrows(ApiException.class, () -> gate.requireAllowedWithoutLookup(WHAT, url), url);
      assertEquals("url_not_allowed", refused.code(), url);
    }
    assertEquals(0, lookups.get());
  }

  @Test
  void plainHttpToAListedHostNeedsNoLookup() {
    assertTrue(gate.requireAllowedWithoutLookup(WHAT, "http://127.0.0.1:8081/v2"));
    assertEquals(0, lookups.get());
  }
}
