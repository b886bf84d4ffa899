package dev.tokenbroker.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutboundPolicyTest {

  private static OutboundPolicy allowing(String... hosts) {
    return new OutboundPolicy(
        () -> hosts.length == 0 ? Optional.empty() : Optional.of(List.of(hosts)));
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void onlyPublicAddressesMayBeReachedByDefault() throws Exception {
    OutboundPolicy policy = allowing();
    for (String internal :
        List.of(
            "127.0.0.1",
            "127.9.9.9",
            "10.0.0.5",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "224.0.0.251",
            "255.255.255.255",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:10.0.0.5",
            "64:ff9b::a00:5")) {
      assertFalse(policy.mayConnect("host.example", ip(internal)), internal);
    }
    for (String external : List.of("93.184.215.14", "8.8.8.8", "100.128.0.1", "2606:4700::1")) {
      assertTrue(policy.mayConnect("host.example", ip(external)), external);
    }
  }

  @Test
  void allowedHostsLiftThePolicyByNameByAddressAndByRange() throws Exception {
    OutboundPolicy policy = allowing("idp.corp.internal", "10.1.0.0/16", "127.0.0.1", "fd00::/8");
    assertTrue(policy.mayConnect("IDP.corp.internal.", ip("10.9.9.9")));
    assertTrue(policy.mayConnect("other.example", ip("10.1.200.3")));
    assertFalse(policy.mayConnect("other.example", ip("10.2.0.1")));
    assertTrue(policy.mayConnect("other.example", ip("127.0.0.1")));
    assertFalse(policy.mayConnect("other.example", ip("127.0.0.2")));
    assertTrue(policy.mayConnect("other.example", ip("fd00::7")));
    assertEquals(Optional.empty(), policy.urlProblem("http://idp.corp.internal/token"));
    assertEquals(Optional.empty(), policy.urlProblem("http://10.1.2.3:8080/token"));
    assertEquals(Optional.empty(), policy.urlProblem("http://127.0.0.1:9/token"));
    assertTrue(policy.urlProblem("http://127.0.0.2:9/token").isPresent());
    assertTrue(policy.urlProblem("http://idp.corp.internal.evil.example/token").isPresent());
  }

  @Test
  void storedUrlsMustBeHttpsToANameOrAPublicAddress() {
    OutboundPolicy policy = allowing();
    assertEquals(Optional.empty(), policy.urlProblem("https://api.badgr.io/o/token"));
    assertEquals(Optional.empty(), policy.urlProblem("https://93.184.215.14/token"));
    for (String refused :
        List.of(
            "http://api.badgr.io/o/token",
            "http://127.evil.example/t",
            "https://localhost/t",
            "https://a.b.localhost/t",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/t",
            "https://[fe80::1]/t",
            "https://2130706433/t",
            "https://0x7f000001/t",
            "https://017700000001/t",
            "https://user:pw@api.badgr.io/t",
            "https://api.badgr.io/t#frag",
            "ftp://api.badgr.io/t",
            "/relative",
            "")) {
      assertTrue(policy.urlProblem(refused).isPresent(), refused);
    }
  }

  @Test
  void aMalformedAllowedHostEntryStopsTheStart() {
    assertThrows(IllegalStateException.class, () -> allowing("10.0.0.0/33"));
    assertThrows(IllegalStateException.class, () -> allowing("https://idp.example"));
  }
}
