// Writes the picture fixtures of the contract with the JDK alone, from the repository root:
//   java integration-tests/src/test/resources/contract/MakeImageFixtures.java
// The small pictures come from functions/src/test/resources/images (see MakeFixtures.java there);
// the bombs are made here: a PNG of 4000x4000 black pixels that deflates to a few kilobytes, and a
// JPEG whose frame header claims 60000x60000. The model that reads them (colours-nchw) allows 1 MP.
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

public class MakeImageFixtures {
  static final Path IMAGES = Path.of("functions/src/test/resources/images");
  static final Path CONTRACT = Path.of("integration-tests/src/test/resources/contract");

  public static void main(String[] args) throws Exception {
    byte[] deflateBomb = png(new BufferedImage(4000, 4000, BufferedImage.TYPE_BYTE_GRAY));
    byte[] jpegBomb = withFrameSize(Files.readAllBytes(IMAGES.resolve("baseline.jpg")), 60000, 60000);
    predict("ok-image-predict", b64(image("red.png")) + "\"},{\"b64\":\"" + b64(image("blue.jpg")));
    predict("bad-image-header-bomb", b64(image("bomb.png")));
    predict("bad-image-deflate-bomb", b64(deflateBomb));
    predict("bad-image-jpeg-bomb", b64(jpegBomb));
    predict("bad-image-truncated", b64(image("truncated.png")));
    predict("bad-image-not-an-image", b64(image("not-an-image.png")));
    predict("bad-image-cmyk", b64(image("cmyk.jpg")));
    predict("bad-image-empty", "");
    predict("bad-image-not-base64", "%%% not base64 %%%");
    Path uploads = CONTRACT.resolve("uploads/colours-nchw");
    Files.write(uploads.resolve("red.png"), image("red.png"));
    Files.write(uploads.resolve("deflate-bomb.png"), deflateBomb);
    Files.write(uploads.resolve("jpeg-bomb.jpg"), jpegBomb);
    Files.write(uploads.resolve("truncated.png"), image("truncated.png"));
  }

  static byte[] image(String name) throws Exception {
    return Files.readAllBytes(IMAGES.resolve(name));
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static void predict(String name, String b64) throws Exception {
    String request = "{\n  \"path\": \"/v1/models/colours-nchw:predict\",\n  \"headers\": {\"Content-Type\": \"application/json\"},\n"
        + "  \"body\": {\"instances\": [{\"b64\": \"" + b64 + "\"}]}\n}\n";
    Files.writeString(CONTRACT.resolve("http/" + name + ".json"), request);
  }

  static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** The JPEG with its SOF0 frame header's height and width replaced. */
  static byte[] withFrameSize(byte[] jpeg, int width, int height) {
    byte[] out = jpeg.clone();
    for (int i = 2; i + 8 < out.length; ) {
      int marker = out[i + 1] & 0xff;
      int length = (out[i + 2] & 0xff) << 8 | (out[i + 3] & 0xff);
      if (marker == 0xC0) {
        out[i + 5] = (byte) (height >> 8);
        out[i + 6] = (byte) height;
        out[i + 7] = (byte) (width >> 8);
        out[i + 8] = (byte) width;
        return out;
      }
      i += 2 + length;
    }
    throw new IllegalArgumentException("no SOF0 frame header");
  }
}
