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
 * and fills the image section with the common ImageNet normalization; labels are "0".."n-1". A size
 * the model fixes is never guessed; a model whose output is not one vector of class scores (several
 * outputs, rank above 2, one value per row) gets a tensor-only manifest. Every guess is printed as
 * a warning on stderr: check each.
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
    List<String> warnings = new ArrayList<>();
    ModelManifest manifest = starter(Files.readAllBytes(file), name, version, warnings);
    warnings.forEach(w -> System.err.println("warning: " + w));
    System.out.println(
        TriadJson.mapper()
            .copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(manifest));
  }

  public static ModelManifest starter(byte[] onnx, String name, String version)
      throws OrtException {
    return starter(onnx, name, version, new ArrayList<>());
  }

  /** The draft; every guess it made is added to {@code warnings}. */
  public static ModelManifest starter(
      byte[] onnx, String name, String version, List<String> warnings) throws OrtException {
    ModelSignature signature;
    Map<String, String> metadata;
    try (OrtSession session =
        OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions())) {
      signature = ModelSignature.of(session);
      metadata = session.getMetadata().getCustomMetadata();
    }
    TensorSpec input = signature.inputList().get(0);
    TensorSpec output = signature.outputList().get(0);
    List<Long> out = output.shape();
    long classes = out.isEmpty() ? -1 : out.get(out.size() - 1);
    if (signature.outputs().size() > 1 || out.size() > 2 || classes < 2) {
      warnings.add(
          "the output is not one vector of a known number of class scores ("
              + signature.outputs().size()
              + " outputs; "
              + output.name()
              + " "
              + out
              + "): a tensor-only manifest, called through /v2/models/"
              + name
              + "/infer; add preprocessing and postprocessing by hand if they apply");
      return draft(name, version, onnx, signature, null, null);
    }
    List<Long> in = input.shape();
    Preprocessing preprocessing =
        in.size() == 4
            ? new Preprocessing(
                Preprocessing.IMAGE, input.name(), null, false, "label", image(in, warnings))
            : new Preprocessing(Preprocessing.TABULAR, input.name(), null, false, "label");
    List<String> labels = new ArrayList<>();
    if (metadata.containsKey("triad.labels")) {
      labels.addAll(List.of(metadata.get("triad.labels").split(",")));
    } else {
      for (long c = 0; c < classes; c++) {
        labels.add(Long.toString(c));
      }
      warnings.add("labels are \"0\" to \"" + (classes - 1) + "\": name the classes");
    }
    boolean probabilities =
        output.name().toLowerCase().contains("prob")
            || output.name().toLowerCase().contains("softmax");
    warnings.add(
        probabilities
            ? output.name() + " is read as probabilities (no softmax applied)"
            : output.name() + " is read as scores, softmax applied to make probabilities");
    return draft(
        name,
        version,
        onnx,
        signature,
        preprocessing,
        new Postprocessing(output.name(), labels, !probabilities, labels.size() > 5 ? 5 : null));
  }

  private static ModelManifest draft(
      String name,
      String version,
      byte[] onnx,
      ModelSignature signature,
      Preprocessing preprocessing,
      Postprocessing postprocessing) {
    return new ModelManifest(
        name,
        version,
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        Sha256.of(onnx),
        signature.inputList(),
        signature.outputList(),
        preprocessing,
        postprocessing,
        null,
        null);
  }

  private static ImageInput image(List<Long> shape, List<String> warnings) {
    boolean nhwc =
        (shape.get(3) == 1 || shape.get(3) == 3) && !(shape.get(1) == 1 || shape.get(1) == 3);
    long channels = nhwc ? shape.get(3) : shape.get(1);
    int height = (int) (long) (nhwc ? shape.get(1) : shape.get(2));
    int width = (int) (long) (nhwc ? shape.get(2) : shape.get(3));
    warnings.add(
        "layout read as "
            + (nhwc ? "NHWC" : "NCHW")
            + " with "
            + channels
            + " channel(s), from where a 1 or 3 sits in "
            + shape);
    // a size the model fixes is kept; a dynamic one takes the fixed one beside it, else 224
    if (height < 1 || width < 1) {
      int fixed = Math.max(height, width);
      int guess = fixed > 0 ? fixed : 224;
      warnings.add(
          (height < 1 ? "the height" : "")
              + (height < 1 && width < 1 ? " and " : "")
              + (width < 1 ? "the width" : "")
              + " is dynamic: "
              + guess
              + " drafted, set the size the model was trained at");
      height = height < 1 ? guess : height;
      width = width < 1 ? guess : width;
    }
    boolean imagenet = width == 224 && height == 224;
    // ImageNet models are cropped from a 256 shorter side; anything else is resized to its own
    // size,
    // since cropping a margin off a small picture (a 28x28 digit) loses what it shows
    int shorter = imagenet ? 256 : Math.max(width, height);
    warnings.add(
        "pictures resized to a shorter side of "
            + shorter
            + " and center-cropped to "
            + width
            + "x"
            + height
            + "; pixel scale 1/255 and "
            + (channels == 1 ? "no normalization" : "ImageNet mean and std")
            + ": check against how the model was trained");
    boolean gray = channels == 1;
    return new ImageInput(
        width,
        height,
        nhwc ? ImageInput.NHWC : ImageInput.NCHW,
        gray ? ImageInput.GRAYSCALE : ImageInput.RGB,
        ImageInput.CENTER_CROP,
        shorter,
        1.0 / 255,
        gray ? List.of(0.0) : List.of(0.485, 0.456, 0.406),
        gray ? List.of(1.0) : List.of(0.229, 0.224, 0.225),
        null,
        null);
  }
}
