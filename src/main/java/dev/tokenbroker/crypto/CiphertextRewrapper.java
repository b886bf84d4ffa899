package dev.tokenbroker.crypto;

import dev.tokenbroker.db.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Re-wraps every stored ciphertext that an older key version sealed to the active version, in
 * batches (one Vault batch call per batch): Transit rewrap, or decrypt and encrypt locally. Each
 * row is updated only if it still holds the ciphertext that was read, so a concurrent refresh wins;
 * rows are picked by what they hold, so a run that stops resumes where it was. Any replica may run
 * it at any time.
 */
@ApplicationScoped
public class CiphertextRewrapper {

  private static final Logger LOG = Logger.getLogger(CiphertextRewrapper.class);

  private final Instance<SealedColumns> declared;
  private volatile List<SealedColumn> columns;
  private final Database db;
  private final SecretCipher cipher;
  private final CryptoConfig.Rewrap config;
  private final AtomicLong onOldKeys = new AtomicLong();

  public CiphertextRewrapper(
      Instance<SealedColumns> declared,
      Database db,
      SecretCipher cipher,
      CryptoConfig config,
      MeterRegistry registry) {
    this.declared = declared;
    this.db = db;
    this.cipher = cipher;
    this.config = config.rewrap();
    Gauge.builder("broker.crypto.ciphertexts.old.key", onOldKeys, AtomicLong::get)
        .description("Stored ciphertexts sealed with a key version older than the active one")
        .register(registry);
  }

  /** What one run did. */
  public record Report(
      @Schema(examples = "local") String backend,
      @Schema(examples = "2") int activeKeyVersion,
      @Schema(examples = "1200") long rewrapped,
      @Schema(examples = "0") long skipped,
      @Schema(examples = "0") long failed,
      @Schema(examples = "0") long remaining) {}

  /** Re-wraps everything on older key versions now. */
  public Report rewrapAll() {
    int active = cipher.activeKeyVersion();
    long rewrapped = 0;
    long skipped = 0;
    long failed = 0;
    for (SealedColumn column : columns()) {
      String after = "";
      while (true) {
        List<Object[]> rows = oldRows(column, active, after);
        if (rows.isEmpty()) {
          break;
        }
        after = (String) rows.get(rows.size() - 1)[0];
        Batch batch = rewrap(column, rows);
        rewrapped += batch.rewrapped();
        skipped += batch.skipped();
        failed += batch.failed();
      }
    }
    long remaining = countOnOldKeys();
    Report report = new Report(cipher.backend(), active, rewrapped, skipped, failed, remaining);
    if (rewrapped > 0 || failed > 0) {
      LOG.infof(
          "Re-wrapped %d ciphertexts to %s key version %d (%d changed meanwhile, %d failed, %d"
              + " remain on older versions)",
          rewrapped, cipher.backend(), active, skipped, failed, remaining);
    }
    return report;
  }

  /** Ciphertexts of this backend sealed with another version than the active one. */
  public long countOnOldKeys() {
    int active = cipher.activeKeyVersion();
    long total = 0;
    for (SealedColumn column : columns()) {
      total +=
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      ((Number)
                              db.value(
                                  "Counting old ciphertexts",
                                  "select count(*) from " + column.table() + where(column),
                                  backendPrefix() + "%",
                                  cipher.ciphertextPrefix(active) + "%"))
                          .longValue());
    }
    onOldKeys.set(total);
    return total;
  }

  @Scheduled(
      every = "${broker.crypto.rewrap.interval:1h}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      rewrapAll(); // its last step recounts, which keeps the gauge current
    } catch (RuntimeException e) {
      LOG.warnf("Scheduled re-wrap did not run: %s", e.getMessage());
    }
  }

  private record Batch(long rewrapped, long skipped, long failed) {}

  private Batch rewrap(SealedColumn column, List<Object[]> rows) {
    List<SecretCipher.Sealing> items = new ArrayList<>();
    for (Object[] row : rows) {
      items.add(new SecretCipher.Sealing((String) row[1], column.binding((String) row[0])));
    }
    List<String> fresh;
    try {
      fresh = cipher.rewrapAll(items);
    } catch (CryptoUnavailableException e) {
      throw e;
    } catch (CryptoException e) {
      return rewrapOneByOne(column, rows, items);
    }
    long updated = store(column, rows, fresh);
    return new Batch(updated, rows.size() - updated, 0);
  }

  /** A batch failed for a single bad value: find it, keep the others going. */
  private Batch rewrapOneByOne(
      SealedColumn column, List<Object[]> rows, List<SecretCipher.Sealing> items) {
    long updated = 0;
    long failed = 0;
    for (int i = 0; i < rows.size(); i++) {
      try {
        String fresh = cipher.rewrap(items.get(i).text(), items.get(i).binding());
        updated += store(column, List.<Object[]>of(rows.get(i)), List.of(fresh));
      } catch (CryptoUnavailableException e) {
        throw e;
      } catch (CryptoException e) {
        failed++;
        LOG.errorf(
            "Cannot re-wrap %s.%s of %s: %s",
            column.table(), column.column(), rows.get(i)[0], e.getMessage());
      }
    }
    return new Batch(updated, rows.size() - updated - failed, failed);
  }

  private long store(SealedColumn column, List<Object[]> rows, List<String> fresh) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              long updated = 0;
              for (int i = 0; i < rows.size(); i++) {
                updated +=
                    db.update(
                        "Storing a rewrapped ciphertext",
                        "update "
                            + column.table()
                            + " set "
                            + column.column()
                            + " = ?1 where "
                            + column.idColumn()
                            + " = ?2 and "
                            + column.column()
                            + " = ?3",
                        fresh.get(i),
                        rows.get(i)[0],
                        rows.get(i)[1]);
              }
              return updated;
            });
  }

  private List<Object[]> oldRows(SealedColumn column, int active, String after) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                db.rows(
                    "Reading old ciphertexts",
                    "select "
                        + column.idColumn()
                        + ", "
                        + column.column()
                        + " from "
                        + column.table()
                        + where(column)
                        + " and "
                        + column.idColumn()
                        + " > ?3 order by "
                        + column.idColumn()
                        + " limit ?4",
                    backendPrefix() + "%",
                    cipher.ciphertextPrefix(active) + "%",
                    after,
                    config.batchSize()));
  }

  /** Every sealed column the beans that write them declare. */
  private List<SealedColumn> columns() {
    List<SealedColumn> known = columns;
    if (known == null) {
      known = declared.stream().flatMap(d -> d.sealedColumns().stream()).toList();
      columns = known;
    }
    return known;
  }

  private static String where(SealedColumn column) {
    return " where " + column.column() + " like ?1 and " + column.column() + " not like ?2";
  }

  /** The part every ciphertext of this backend starts with ({@code tbk:v}, {@code vault:v}). */
  private String backendPrefix() {
    String prefix = cipher.ciphertextPrefix(0);
    return prefix.substring(0, prefix.length() - "0:".length());
  }
}
