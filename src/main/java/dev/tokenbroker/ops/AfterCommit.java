package dev.tokenbroker.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs work once the current transaction has committed (and not at all if it rolls back); without a
 * transaction, at once.
 */
@ApplicationScoped
public class AfterCommit {

  private final TransactionSynchronizationRegistry transactions;

  public AfterCommit(TransactionSynchronizationRegistry transactions) {
    this.transactions = transactions;
  }

  public void run(Runnable work) {
    if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
      work.run();
      return;
    }
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              work.run();
            }
          }
        });
  }
}
