package io.triad.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalHttpServerTest {
  private String saved;

  @BeforeEach
  void saveSetting() {
    saved = System.clearProperty(LocalHttpServer.NO_DELAY);
  }

  @AfterEach
  void restoreSetting() {
    if (saved == null) {
      System.clearProperty(LocalHttpServer.NO_DELAY);
    } else {
      System.setProperty(LocalHttpServer.NO_DELAY, saved);
    }
  }

  @Test
  void start_should_turnNagleOff_when_theUserLeftItUnset() {
    // given no TCP_NODELAY setting and a server on a free port
    LocalHttpServer server = new LocalHttpServer(null, "127.0.0.1", 0, 1);
    try {
      // when it starts
      server.start();
      // then the JDK server is told to send answers at once (not after the client's delayed ACK)
      assertThat(System.getProperty(LocalHttpServer.NO_DELAY)).isEqualTo("true");
    } finally {
      server.stop();
    }
  }

  @Test
  void start_should_keepTheUsersSetting_when_oneIsGiven() {
    // given a user who turned it off on the command line
    System.setProperty(LocalHttpServer.NO_DELAY, "false");
    LocalHttpServer server = new LocalHttpServer(null, "127.0.0.1", 0, 1);
    try {
      // when it starts
      server.start();
      // then the setting stands
      assertThat(System.getProperty(LocalHttpServer.NO_DELAY)).isEqualTo("false");
    } finally {
      server.stop();
    }
  }
}
