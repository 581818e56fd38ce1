package io.compartment.transport.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compartment.transport.codec.Samples.Color;
import io.compartment.transport.codec.Samples.Put;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class TypeRegistryTest {
  @Test
  void idsAreStableAndIndependentOfOrder() {
    final TypeRegistry a = TypeRegistry.of(Put.class, Color.class);
    final TypeRegistry b = TypeRegistry.builder().register(Color.class).register(Put.class).build();
    assertThat(a.idOf(Put.class)).isEqualTo(b.idOf(Put.class));
    assertThat(a.idOf(Put.class)).isEqualTo(TypeRegistry.stableId(Put.class.getName()));
    assertThat(a.classOf(a.idOf(Color.class))).isEqualTo(Color.class);
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    assertThat(TypeRegistry.of(Put.class).fingerprint()).isNotEqualTo(a.fingerprint());
    assertThat(a.classes()).containsExactlyInAnyOrder(Put.class, Color.class);
  }

  @Test
  void rejectsClassesItCannotHandle() {
    assertThatThrownBy(() -> TypeRegistry.of(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JDK class java.lang.String");
    assertThatThrownBy(() -> TypeRegistry.of(Samples.MyList.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extends JDK class java.util.ArrayList");
    assertThatThrownBy(() -> TypeRegistry.of(Samples.Inner.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enclosing instance");
    final Object anonymous = new Object() {};
    assertThatThrownBy(() -> TypeRegistry.of(anonymous.getClass()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("anonymous");
    final Runnable lambda = () -> {};
    assertThatThrownBy(() -> TypeRegistry.of(lambda.getClass()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypeRegistry.of(int[].class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypeRegistry.of(Color.GREEN.getClass()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enum constant");
    assertThatThrownBy(() -> TypeRegistry.of(ArrayList.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unregisteredLookupFailsClearly() {
    assertThatThrownBy(() -> TypeRegistry.of(Put.class).idOf(Color.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Color.class.getName());
  }
}
