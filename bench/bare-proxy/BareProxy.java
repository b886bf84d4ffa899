import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.Set;

/**
 * The floor under the broker's proxy: a reverse proxy on the same Vert.x and JVM that does
 * nothing but replace the Authorization header and drop hop-by-hop headers, with the broker's
 * event-loop count and upstream pool size. No REST layer, no CDI, no checks, no metrics, no audit.
 * Run from source with the broker's libraries: {@code java -cp 'lib/main/*' BareProxy.java
 * <port> <upstream host> <upstream port> <token>}.
 */
public class BareProxy {

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
          "trailer", "transfer-encoding", "upgrade", "host", "authorization");

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String upstreamHost = args[1];
    int upstreamPort = Integer.parseInt(args[2]);
    String bearer = "Bearer " + args[3];
    int loops = 2 * Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    HttpClient client =
        vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(50).setKeepAlive(true));
    vertx
        .createHttpServer()
        .requestHandler(request -> relay(request, client, upstreamHost, upstreamPort, bearer))
        .listen(port, "127.0.0.1")
        .onSuccess(server -> System.out.println("bare proxy listening on " + port));
  }

  private static void relay(
      HttpServerRequest in, HttpClient client, String host, int port, String bearer) {
    in.pause();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    in.headers().forEach(h -> {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
        headers.add(h.getKey(), h.getValue());
      }
    });
    headers.set("Authorization", bearer);
    RequestOptions options =
        new RequestOptions()
            .setMethod(in.method())
            .setHost(host)
            .setPort(port)
            .setURI(in.uri())
            .setHeaders(headers);
    client
        .request(options)
        .compose(out -> out.send(in))
        .onSuccess(
            answer -> {
              in.response().setStatusCode(answer.statusCode());
              answer.headers().forEach(h -> {
                String name = h.getKey().toLowerCase();
                if (!HOP_BY_HOP.contains(name) && !name.equals("content-length")) {
                  in.response().headers().add(h.getKey(), h.getValue());
                }
              });
              String length = answer.getHeader("Content-Length");
              if (length != null) {
                in.response().putHeader("Content-Length", length);
              } else {
                in.response().setChunked(true);
              }
              answer.pipeTo(in.response());
            })
        .onFailure(failure -> in.response().setStatusCode(502).end());
  }
}
