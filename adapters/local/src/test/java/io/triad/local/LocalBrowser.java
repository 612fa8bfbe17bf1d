package io.triad.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the page tests: Debian's {@code chromium}, headless, driven through its own
 * {@code chromedriver} (packages chromium and chromium-driver, which {@code .ci/run} installs), so
 * Selenium never looks for or downloads a driver. The driver listens on 127.0.0.1 and is stopped by
 * {@link WebDriver#quit}.
 */
final class LocalBrowser {
  static final Path CHROMIUM = Path.of(System.getProperty("triad.chromium", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("triad.chromedriver", "/usr/bin/chromedriver"));

  private LocalBrowser() {}

  static WebDriver start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException(
          "the page tests need Debian's chromium and chromium-driver ("
              + CHROMIUM
              + ", "
              + DRIVER
              + "): apt-get install chromium chromium-driver, as .ci/run does");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
