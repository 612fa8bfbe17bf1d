package io.triad.contract;

/** A runtime whose storage is an emulator process the outage drill can stop and bring back. */
interface StoppableStorage {

  /** Takes the storage emulator down at once; requests in flight are cut off. */
  void stopStorage() throws Exception;

  /** Starts it again on the same endpoint with what it held. */
  void restartStorage() throws Exception;
}
