package io.triad.aws;

import io.triad.settings.TriadContract;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The function role's token for Entra's token exchange, from AWS STS ({@code GetWebIdentityToken},
 * IAM outbound identity federation): a JWT whose issuer is the account's and whose subject is the
 * role's ARN, which the Azure stack's identity {@code PROJECT-aws-replicas} takes as its client
 * assertion ({@code replication.awsToAzure}). A fresh one each time Entra is asked; the STS client
 * is made on first use, so a function that copies nothing to Azure never makes it.
 */
final class RoleTokens implements Supplier<String> {
  /** What STS signs with: the role's policy allows this algorithm only. */
  static final String SIGNING_ALGORITHM = "RS256";

  /** Five minutes: the assertion is used at once for Entra's own hour-long token. */
  static final int DURATION_SECONDS = 300;

  private final Supplier<StsClient> sts;
  private volatile StsClient client;

  RoleTokens(Supplier<StsClient> sts) {
    this.sts = sts;
  }

  @Override
  public String get() {
    StsClient made = client;
    if (made == null) {
      synchronized (this) {
        if (client == null) {
          client = sts.get();
        }
        made = client;
      }
    }
    return made.getWebIdentityToken(
            r ->
                r.audience(TriadContract.TOKEN_EXCHANGE_AUDIENCE)
                    .signingAlgorithm(SIGNING_ALGORITHM)
                    .durationSeconds(DURATION_SECONDS))
        .webIdentityToken();
  }
}
