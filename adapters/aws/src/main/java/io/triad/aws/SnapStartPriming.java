package io.triad.aws;

import io.triad.functions.http.ModelPriming;
import org.crac.Context;
import org.crac.Resource;

/**
 * The neutral {@link ModelPriming} as a CRaC resource (SnapStart): primes before the snapshot and,
 * after a restore, forgets the cached aliases so a promotion made since the snapshot is served at
 * once.
 */
final class SnapStartPriming implements Resource {
  private final ModelPriming priming;

  SnapStartPriming(ModelPriming priming) {
    this.priming = priming;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    priming.prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    priming.primeAfresh();
  }
}
