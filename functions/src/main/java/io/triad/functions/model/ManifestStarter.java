package io.triad.functions.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.triad.functions.api.TriadJson;
import io.triad.functions.inference.ModelSignature;
import io.triad.functions.model.ModelManifest.Postprocessing;
import io.triad.functions.model.ModelManifest.Preprocessing;
import io.triad.functions.model.ModelManifest.TensorSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a starter {@code manifest.json} for an ONNX file Triad did not train, from the file's own
 * input and output metadata and its sha256: {@code java -cp triad-local.jar
 * -Dloader.main=io.triad.functions.model.ManifestStarter
 * org.springframework.boot.loader.launch.PropertiesLauncher model.onnx [name] [version] >
 * manifest.json}. For a rank-4 input it guesses the layout from where a 1 or 3 sits (NCHW or NHWC)
 * and fills the image section with the common ImageNet normalization; labels are "0".."n-1". Check
 * every guess.
 */
public final class ManifestStarter {
  private ManifestStarter() {}

  public static void main(String[] args) throws IOException, OrtException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: ManifestStarter model.onnx [name] [version]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    String name =
        args.length > 1 ? args[1] : file.getFileName().toString().replaceFirst("\\.onnx$", "");
    String version = args.length > 2 ? args[2] : "1";
    write(Files.readAllBytes(file), name, version, System.out);
  }

  public static void write(byte[] onnx, String name, String version, PrintStream out)
      throws IOException, OrtException {
    out.println(
        TriadJson.mapper()
            .copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(starter(onnx, name, version)));
  }

  public static ModelManifest starter(byte[] onnx, String name, String version)
      throws OrtException {
    ModelSignature signature;
    Map<String, String> metadata;
    try (OrtSession session =
        OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions())) {
      signature = ModelSignature.of(session);
      metadata = session.getMetadata().getCustomMetadata();
    }
    TensorSpec input = signature.inputList().get(0);
    TensorSpec output = signature.outputList().get(0);
    List<Long> in = input.shape();
    Preprocessing preprocessing =
        in.size() == 4
            ? new Preprocessing(Preprocessing.IMAGE, input.name(), null, false, "label", image(in))
            : new Preprocessing(Preprocessing.TABULAR, input.name(), null, false, "label");
    long classes = output.shape().isEmpty() ? -1 : output.shape().get(output.shape().size() - 1);
    List<String> labels = new ArrayList<>();
    if (metadata.containsKey("triad.labels")) {
      labels.addAll(List.of(metadata.get("triad.labels").split(",")));
    } else {
      for (long c = 0; c < classes; c++) {
        labels.add(Long.toString(c));
      }
    }
    boolean probabilities =
        output.name().toLowerCase().contains("prob")
            || output.name().toLowerCase().contains("softmax");
    return new ModelManifest(
        name,
        version,
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        Sha256.of(onnx),
        signature.inputList(),
        signature.outputList(),
        preprocessing,
        new Postprocessing(output.name(), labels, !probabilities, labels.size() > 5 ? 5 : null),
        null,
        null);
  }

  private static ImageInput image(List<Long> shape) {
    boolean nhwc =
        (shape.get(3) == 1 || shape.get(3) == 3) && !(shape.get(1) == 1 || shape.get(1) == 3);
    long channels = nhwc ? shape.get(3) : shape.get(1);
    int height = (int) (long) (nhwc ? shape.get(1) : shape.get(2));
    int width = (int) (long) (nhwc ? shape.get(2) : shape.get(3));
    if (height < 1 || width < 1) {
      height = 224; // a dynamic size: the common default, to be checked
      width = 224;
    }
    boolean gray = channels == 1;
    return new ImageInput(
        width,
        height,
        nhwc ? ImageInput.NHWC : ImageInput.NCHW,
        gray ? ImageInput.GRAYSCALE : ImageInput.RGB,
        ImageInput.CENTER_CROP,
        Math.max(width, height) * 256 / 224,
        1.0 / 255,
        gray ? List.of(0.0) : List.of(0.485, 0.456, 0.406),
        gray ? List.of(1.0) : List.of(0.229, 0.224, 0.225),
        null,
        null);
  }
}
