package io.compartment.transport.state;

import static io.compartment.transport.state.KillModel.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorruptFileTest {
  @TempDir Path dir;

  private static PartitionStore.Context small() {
    return new PartitionStore.Context().entries(1_000).averageKeySize(8).averageValueSize(32);
  }

  private Path storeWithData() {
    final Path file = dir.resolve("p.cmap");
    try (PartitionStore store = PartitionStore.open(file, small())) {
      for (int i = 0; i < 200; i++) {
        store.put(bytes("k" + i), new byte[40]);
      }
      store.apply(3, new StateBatch().put(bytes("x"), bytes("y")));
    }
    return file;
  }

  /** Random bytes, with Chronicle's "header ready" size word set or not. */
  private static byte[] garbage(final int length, final long seed, final boolean readyWord) {
    final byte[] garbage = new byte[length];
    new Random(seed).nextBytes(garbage);
    ByteBuffer.wrap(garbage).order(ByteOrder.LITTLE_ENDIAN).putInt(8, readyWord ? 300 : -5);
    return garbage;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void garbageFileGivesClearException(final boolean readyWord) throws Exception {
    final Path file = dir.resolve("p.cmap");
    Files.write(file, garbage(256 * 1024, 7, readyWord));
    assertThatThrownBy(() -> PartitionStore.open(file, small()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt or truncated map file")
        .satisfies(ex -> assertThat(((StateStoreException) ex).file()).isEqualTo(file));
    // the failed open released its lock: a second attempt fails the same way, not "already open"
    assertThatThrownBy(() -> PartitionStore.open(file, small()))
        .hasMessageContaining("corrupt or truncated map file");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void garbageAfterDirtyCloseGivesClearException(final boolean readyWord) throws Exception {
    final Path file = storeWithData();
    Files.write(StoreLock.lockPath(file), new byte[] {StoreLock.OPEN}); // as after a kill
    Files.write(file, garbage((int) Files.size(file), 8, readyWord));
    assertThatThrownBy(() -> PartitionStore.open(file, small()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");
  }

  @Test
  void fileShorterThanHeaderGivesClearException() throws Exception {
    final Path file = dir.resolve("p.cmap");
    Files.write(file, new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> PartitionStore.open(file, small()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("shorter than a Chronicle Map header");
  }

  @Test
  void truncatedFileGivesClearException() throws Exception {
    final Path file = storeWithData();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }
    assertThatThrownBy(() -> PartitionStore.open(file, small()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("unexpected length");
  }

  @Test
  void truncatedFileIsNotSilentlyRecoveredAfterKill() throws Exception {
    final Path file = storeWithData();
    Files.delete(StoreLock.lockPath(file)); // no marker: treated as a dirty close
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 4096);
    }
    assertThatThrownBy(() -> PartitionStore.open(file, small()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void truncatedToTheHeaderGivesClearException() throws Exception {
    final Path file = storeWithData();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(100);
    }
    assertThatThrownBy(() -> PartitionStore.open(file, small()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void corruptFileCanBeMovedAsideToStartEmpty() throws Exception {
    final Path file = storeWithData();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 3);
    }
    final long corruptSize = Files.size(file);
    try (PartitionStore store = PartitionStore.open(file, small().moveCorruptAside(true))) {
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.CORRUPT_MOVED_ASIDE);
      assertThat(store.size()).isZero();
      assertThat(store.lastAppliedSeq()).isEqualTo(PartitionStore.NULL_SEQ);
      assertThat(store.movedAsideTo()).hasSize(corruptSize);
      assertThat(store.movedAsideTo().getFileName().toString()).startsWith("p.cmap.corrupt-");
      store.apply(1, new StateBatch().put(bytes("a"), bytes("b")));
    }
    try (PartitionStore store = PartitionStore.open(file, small())) {
      assertThat(store.openOutcome()).isEqualTo(PartitionStore.OpenOutcome.REOPENED);
      assertThat(store.lastAppliedSeq()).isEqualTo(1);
      assertThat(store.size()).isEqualTo(1);
    }
  }
}
