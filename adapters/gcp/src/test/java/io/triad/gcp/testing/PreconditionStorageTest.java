package io.triad.gcp.testing;

import io.triad.functions.testing.CreateRace;
import io.triad.gcs.GcsBlobStore;
import org.junit.jupiter.api.Test;

/** The test storage decides {@code ifGenerationMatch=0} as GCS does, under concurrent writers. */
class PreconditionStorageTest {
  @Test
  void putIfAbsent_should_createOnce_when_eightWritersRaceForTheKey() throws Exception {
    CreateRace.run(
        new GcsBlobStore(FakeGoogleCloud.storage(), "precondition-test"),
        "candidates/iris/20261204-030000/launch.json",
        8);
  }
}
