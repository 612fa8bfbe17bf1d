package io.triad.functions.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.functions.api.ObjectCreated;
import io.triad.functions.api.Outcome;
import io.triad.functions.api.TriadJson;
import io.triad.functions.image.ImageEncoder;
import io.triad.functions.image.PictureStats;
import io.triad.functions.model.DataProfile;
import io.triad.functions.model.ModelManifest;
import io.triad.functions.store.FileSystemBlobStore;
import io.triad.functions.testing.ColourModels;
import io.triad.functions.testing.RecordingTrainingLauncher;
import io.triad.functions.testing.TestModels;
import io.triad.functions.testing.TriadTestApp;
import io.triad.layout.BucketLayout;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drift for a picture model: its profile holds how bright and how contrasted its training pictures
 * look to it ({@link PictureStats}) and its class mix; a labelled folder of pictures like them does
 * not drift, the same scenes overexposed do, in brightness.
 */
class PictureDriftTest {
  private static final ObjectMapper JSON = TriadJson.mapper();
  private static final String MODEL = "colours-nchw";

  @TempDir Path bucket;

  @Test
  void folderEvaluation_should_seeDriftInOverexposedPicturesOnly() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(bucket);
    ModelManifest manifest = publish(store);
    try (ConfigurableApplicationContext app =
        TriadTestApp.start(bucket, new RecordingTrainingLauncher(), "triad.catalog=" + MODEL)) {
      Function<ObjectCreated, Outcome> onObjectCreated =
          app.getBean(FunctionCatalog.class).lookup("onObjectCreated");

      // when a folder like the training pictures, then an overexposed one, is evaluated
      JsonNode same = evaluate(store, onObjectCreated, "same", pictures(40, 7, 0));
      JsonNode bright = evaluate(store, onObjectCreated, "bright", pictures(40, 8, 90));

      // then only the bright pictures drifted, and in brightness
      assertThat(same.get("drifted").asBoolean()).as(same.toPrettyString()).isFalse();
      assertThat(DriftFixtures.verdict(same, PictureStats.BRIGHTNESS)).isFalse();
      assertThat(bright.get("drifted").asBoolean()).as(bright.toPrettyString()).isTrue();
      assertThat(DriftFixtures.verdict(bright, PictureStats.BRIGHTNESS)).isTrue();
      assertThat(DriftFixtures.verdict(bright, "label")).as("the class mix did not move").isFalse();
      assertThat(bright.get("rows").asLong()).isEqualTo(40);
    }
    assertThat(manifest.profile().numeric()).containsOnlyKeys(PictureStats.FEATURES);
  }

  /**
   * {@code n} 8x8 pictures, half reddish and half bluish, each pixel channel drawn around a
   * middling value, plus {@code lift} on every channel (capped at 255), by class.
   */
  private static Map<String, List<byte[]>> pictures(int n, long seed, int lift) throws IOException {
    Random random = new Random(seed);
    Map<String, List<byte[]>> byClass = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String label = i % 2 == 0 ? "red" : "blue";
      BufferedImage image =
          new BufferedImage(ColourModels.SIDE, ColourModels.SIDE, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < ColourModels.SIDE; y++) {
        for (int x = 0; x < ColourModels.SIDE; x++) {
          int strong = channel(random, 150, lift);
          int weak = channel(random, 60, lift);
          int green = channel(random, 80, lift);
          int rgb =
              label.equals("red")
                  ? (strong << 16) | (green << 8) | weak
                  : (weak << 16) | (green << 8) | strong;
          image.setRGB(x, y, rgb);
        }
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      byClass.computeIfAbsent(label, l -> new ArrayList<>()).add(png.toByteArray());
    }
    return byClass;
  }

  private static int channel(Random random, int around, int lift) {
    return Math.max(0, Math.min(255, around + lift + (int) (random.nextGaussian() * 25)));
  }

  /**
   * The colour model with a profile made as the trainer makes one: each training picture decoded by
   * the serving code, its brightness and contrast, every value kept (a small data set).
   */
  private static ModelManifest publish(FileSystemBlobStore store) throws IOException {
    ModelManifest plain;
    try (InputStream in =
        PictureDriftTest.class.getResourceAsStream("/models/" + MODEL + "/manifest.json")) {
      plain = JSON.readValue(in, ModelManifest.class);
    }
    Map<String, List<byte[]>> training = pictures(200, 1, 0);
    ImageEncoder encoder = new ImageEncoder(plain.preprocessing().image());
    Map<String, double[]> values = new LinkedHashMap<>();
    Map<String, Long> classes = new LinkedHashMap<>();
    int rows = 0;
    for (Map.Entry<String, List<byte[]>> entry : training.entrySet()) {
      for (byte[] picture : entry.getValue()) {
        float[] pixels = encoder.encode(List.of(picture), i -> "training picture");
        double[] stats = PictureStats.of(pixels, 0, pixels.length);
        for (int f = 0; f < PictureStats.FEATURES.size(); f++) {
          double[] column =
              values.computeIfAbsent(PictureStats.FEATURES.get(f), k -> new double[200]);
          column[rows] = stats[f];
        }
        classes.merge(entry.getKey(), 1L, Long::sum);
        rows++;
      }
    }
    Map<String, DataProfile.NumericProfile> numeric = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> column : values.entrySet()) {
      double[] sorted = column.getValue().clone();
      Arrays.sort(sorted);
      double mean = Arrays.stream(sorted).average().orElse(0);
      double std =
          Math.sqrt(Arrays.stream(sorted).map(v -> (v - mean) * (v - mean)).sum() / sorted.length);
      numeric.put(
          column.getKey(),
          new DataProfile.NumericProfile(
              sorted.length,
              mean,
              std,
              sorted[0],
              sorted[sorted.length - 1],
              Arrays.stream(sorted).boxed().toList()));
    }
    ModelManifest manifest = plain.withProfile(new DataProfile(rows, numeric, Map.of(), classes));
    store.put(BucketLayout.modelFile(MODEL, "1"), ColourModels.onnx(false));
    store.put(BucketLayout.manifest(MODEL, "1"), TriadJson.pretty(JSON, manifest));
    new TestModels(store).sign(MODEL, "1");
    new TestModels(store).promote(MODEL, "1");
    return manifest;
  }

  private static JsonNode evaluate(
      FileSystemBlobStore store,
      Function<ObjectCreated, Outcome> onObjectCreated,
      String name,
      Map<String, List<byte[]>> pictures)
      throws Exception {
    // a folder is every picture under labelled/{m}/{label}/: the earlier folder's go first
    for (var old : store.list(BucketLayout.labelled(MODEL))) {
      store.delete(old.key());
    }
    for (Map.Entry<String, List<byte[]>> entry : pictures.entrySet()) {
      int i = 0;
      for (byte[] picture : entry.getValue()) {
        store.put(
            BucketLayout.labelled(MODEL) + entry.getKey() + "/" + name + "-" + i++ + ".png",
            picture);
      }
    }
    String trigger = BucketLayout.labelled(MODEL) + name + BucketLayout.FOLDER_TRIGGER;
    store.put(trigger, new byte[0]);
    Outcome outcome = onObjectCreated.apply(ObjectCreated.of(trigger));
    assertThat(outcome).isInstanceOf(Outcome.Written.class);
    String report =
        ((Outcome.Written) outcome)
            .outputs().stream()
                .filter(
                    k -> k.startsWith("monitoring/" + MODEL + "/1/drift-") && k.endsWith(".json"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no drift report in " + outcome));
    return JSON.readTree(store.read(report));
  }
}
