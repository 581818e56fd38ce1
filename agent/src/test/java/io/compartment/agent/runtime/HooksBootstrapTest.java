package io.compartment.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstraps whose slow path no scenario compiled by this JDK reaches: a string concatenation
 * with object arguments (javac 17.0.15 turns them into String.valueOf first, other compilers do
 * not) and the byte-or-boolean array store. Both paths, recording and not, must compute what the
 * plain instruction computes.
 */
class HooksBootstrapTest {
  private static void recordingThreads(int n) throws Exception {
    Field f = Hooks.class.getDeclaredField("recordingThreads");
    f.setAccessible(true);
    f.setInt(null, n);
  }

  @AfterEach
  void stopRecording() throws Exception {
    recordingThreads(0);
  }

  @Test
  void concatenationWithObjectArgumentsGivesTheSameStringOnBothPaths() throws Throwable {
    int id =
        Hooks.CALL_SITES.add(
            new CallSite("java.lang.String", "concat", "", true, 3, true, "Test.java:1"));
    MethodType type = MethodType.methodType(String.class, Object.class, int.class, List.class);
    MethodHandle concat =
        Hooks.bootstrapConcat(
                MethodHandles.lookup(),
                "makeConcatWithConstants",
                type,
                id,
                "a\u0001-\u0001\u0002!\u0001",
                "K")
            .dynamicInvoker();
    Object map = Map.of("k", 1);
    String plain = (String) concat.invoke(map, 7, List.of(1, 2));
    recordingThreads(1);
    String recorded = (String) concat.invoke(map, 7, List.of(1, 2));
    assertThat(plain).isEqualTo("a{k=1}-7K![1, 2]");
    assertThat(recorded).isEqualTo(plain);
  }

  @Test
  void byteAndBooleanArrayStoresShareOneSiteAndStoreCorrectly() throws Throwable {
    int id =
        Hooks.CALL_SITES.add(
            new CallSite("[]", "[]=", "(Ljava/lang/Object;II)V", true, 3, false, "Test.java:2"));
    MethodType type = MethodType.methodType(void.class, Object.class, int.class, int.class);
    MethodHandle store =
        Hooks.bootstrapArrayStore(MethodHandles.lookup(), "arrayStore", type, id).dynamicInvoker();
    byte[] bytes = new byte[2];
    boolean[] flags = new boolean[2];
    store.invoke((Object) bytes, 0, 0x1ff);
    store.invoke((Object) flags, 0, 1);
    recordingThreads(1);
    store.invoke((Object) bytes, 1, -3);
    store.invoke((Object) flags, 1, 1);
    assertThat(bytes).containsExactly((byte) 0xff, (byte) -3);
    assertThat(flags).containsExactly(true, true);
  }
}
