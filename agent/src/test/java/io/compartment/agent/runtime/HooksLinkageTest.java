package io.compartment.agent.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * A rewritten site whose target is missing at run time fails the way the original instruction would
 * have, when executed: code that catches {@code NoSuchMethodError} (an optional dependency probed
 * at run time) keeps working under the agent.
 */
class HooksLinkageTest {
  @Test
  void aCallToAMissingMethodThrowsNoSuchMethodErrorWhenExecuted() throws Throwable {
    int id =
        Hooks.CALL_SITES.add(
            new CallSite("java.util.ArrayList", "trimToNothing", "()V", false, 0, false, "X:1"));
    java.lang.invoke.CallSite site =
        Hooks.bootstrapCall(
            MethodHandles.lookup(),
            "trimToNothing",
            MethodType.methodType(void.class, ArrayList.class),
            id);
    assertThatThrownBy(() -> site.dynamicInvoker().invoke(new ArrayList<>()))
        .isInstanceOf(NoSuchMethodError.class)
        .hasMessageContaining("trimToNothing");
  }

  @Test
  void aReadOfAMissingFieldThrowsNoSuchFieldErrorWhenExecuted() throws Throwable {
    int id =
        Hooks.FIELD_SITES.add(
            new FieldSite(
                "java.util.ArrayList",
                "gone",
                FieldSite.Role.OTHER,
                "gone",
                "ArrayList.gone",
                "X:2"));
    java.lang.invoke.CallSite site =
        Hooks.bootstrapGet(
            MethodHandles.lookup(), "gone", MethodType.methodType(int.class, ArrayList.class), id);
    assertThatThrownBy(() -> site.dynamicInvoker().invoke(new ArrayList<>()))
        .isInstanceOf(NoSuchFieldError.class)
        .hasMessageContaining("gone");
  }
}
