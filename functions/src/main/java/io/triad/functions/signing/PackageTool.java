package io.triad.functions.signing;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.JsonProblems;
import io.triad.functions.api.TriadJson;
import io.triad.functions.model.ManifestStarter;
import io.triad.functions.model.ModelKeys;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.model.Sha256;
import io.triad.functions.store.BlobStore;
import io.triad.functions.store.BlobStoreProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The command line for signed packages: make a key, print its public key, and publish a model Triad
 * did not train (draft or check its manifest, sign, place the version, move the alias) onto any
 * runtime's store.
 */
public final class PackageTool {
  static final String USAGE =
      """
      usage:
        keygen KEY-FILE          write a new Ed25519 signing key (mode 0600); print its public key
        public-key KEY-FILE      print the public key of a signing key, for trusted-keys
        publish --store URI --key KEY-FILE [--manifest FILE] [--no-alias] MODEL.onnx NAME VERSION
                                 sign and place models/NAME/VERSION/ on the store (file:DIR, s3://B,
                                 gs://B, azblob://ACCOUNT/CONTAINER) and point the production alias
                                 at it; without --manifest, a drafted one (each guess is a warning)
      """;

  private PackageTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; 0 done, 1 failed (one line on {@code err}), 2 usage. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String command = rest.poll();
    try {
      if ("keygen".equals(command) && rest.size() == 1) {
        Path file = Path.of(rest.poll());
        if (Files.exists(file)) {
          err.println("error: " + file + " exists; a key is never overwritten");
          return 1;
        }
        PackageSigner signer = FileKeySource.createIfAbsent(file);
        out.println(SigningKeys.publicKeyText(signer.publicKey()));
        return 0;
      }
      if ("public-key".equals(command) && rest.size() == 1) {
        PackageSigner signer = PackageSigner.fromText(new FileKeySource().read(rest.poll()));
        out.println(SigningKeys.publicKeyText(signer.publicKey()));
        return 0;
      }
      if ("publish".equals(command)) {
        return publish(rest, out, err);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("error: no file " + e.getFile());
      return 1;
    } catch (IOException | RuntimeException | OrtException e) {
      // a missing file, a bad key, a name that cannot be a key, a store that refuses: one line
      err.println("error: " + e.getMessage());
      return 1;
    }
    err.print(USAGE);
    return 2;
  }

  private static int publish(Deque<String> args, PrintStream out, PrintStream err)
      throws IOException, OrtException {
    String store = null;
    String key = null;
    Path manifestFile = null;
    boolean alias = true;
    List<String> positional = new ArrayList<>();
    while (!args.isEmpty()) {
      String arg = args.poll();
      switch (arg) {
        case "--store" -> store = args.poll();
        case "--key" -> key = args.poll();
        case "--manifest" -> manifestFile = Path.of(args.poll());
        case "--no-alias" -> alias = false;
        default -> positional.add(arg);
      }
    }
    if (store == null || key == null || positional.size() != 3) {
      err.print(USAGE);
      return 2;
    }
    byte[] model = Files.readAllBytes(Path.of(positional.get(0)));
    String name = ModelKeys.checkName(positional.get(1));
    String version = ModelKeys.checkVersion(positional.get(2));
    ObjectMapper json = TriadJson.mapper();
    String sha256 = Sha256.of(model);
    byte[] manifestBytes;
    if (manifestFile == null) {
      List<String> warnings = new ArrayList<>();
      ModelManifest drafted = ManifestStarter.starter(model, name, version, warnings);
      warnings.forEach(w -> err.println("warning: " + w));
      manifestBytes = TriadJson.pretty(json, drafted);
    } else {
      manifestBytes = Files.readAllBytes(manifestFile);
      ModelManifest given;
      try {
        given = json.readValue(manifestBytes, ModelManifest.class);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        err.println("error: the manifest cannot be read: " + JsonProblems.describe(e));
        return 1;
      }
      if (!name.equals(given.name()) || !version.equals(given.version())) {
        err.println(
            "error: the manifest names "
                + given.name()
                + " version "
                + given.version()
                + ", not "
                + name
                + " version "
                + version);
        return 1;
      }
      if (!sha256.equalsIgnoreCase(String.valueOf(given.sha256()))) {
        err.println(
            "error: the manifest's sha256 is "
                + given.sha256()
                + ", but the model file's is "
                + sha256);
        return 1;
      }
    }
    PackageSigner signer = PackageSigner.fromText(new FileKeySource().read(key));
    BlobStore target = BlobStoreProvider.openUri(store);
    ModelPackages.write(
        target, signer, json, name, version, sha256, manifestBytes, to -> target.put(to, model));
    if (alias) {
      ModelPackages.promote(target, name, version);
    }
    out.printf(
        "%s version %s placed on %s, signed with key %s%s%n",
        name,
        version,
        target.uri(),
        signer.keyId(),
        alias ? "; the production alias names it" : "");
    return 0;
  }
}
