package io.compartment.agent.instrument;

import io.compartment.agent.config.ServiceMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Checks a mapping file against the class path before anything loads: every class, field and method
 * it names must exist. Each name that does not is reported with its place in the file and dropped;
 * the rest of the entry still applies.
 */
public final class MappingValidator {
  private MappingValidator() {}

  public static List<ServiceMapping> validate(
      List<ServiceMapping> mappings, ClassLoader loader, Consumer<String> errors) {
    TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
    List<ServiceMapping> valid = new ArrayList<>();
    for (ServiceMapping m : mappings) {
      TypePool.Resolution r = pool.describe(m.className());
      if (!r.isResolved()) {
        errors.accept(
            m.where()
                + ": class "
                + m.className()
                + " not found on the class path;"
                + " entry ignored");
        continue;
      }
      TypeDescription type = r.resolve();
      List<String> state = new ArrayList<>();
      for (String s : m.state()) {
        int dot = s.lastIndexOf('.');
        boolean found = false;
        if (dot < 0) {
          found = hasField(type, s);
        } else {
          for (String owner :
              ServiceModel.foreignOwnerCandidates(m.className(), s.substring(0, dot))) {
            TypePool.Resolution o = pool.describe(owner);
            if (o.isResolved() && hasField(o.resolve(), s.substring(dot + 1))) {
              found = true;
              break;
            }
          }
        }
        if (found) {
          state.add(s);
        } else {
          errors.accept(
              m.where()
                  + ": state field \""
                  + s
                  + "\" not found in "
                  + m.className()
                  + (dot < 0 ? "" : " or its package")
                  + "; ignored");
        }
      }
      List<String> handlers = new ArrayList<>();
      for (String h : m.handlers()) {
        if (hasMethod(type, h)) {
          handlers.add(h);
        } else {
          errors.accept(
              m.where()
                  + ": handler method \""
                  + h
                  + "\" not found in "
                  + m.className()
                  + "; ignored");
        }
      }
      List<String> emit = new ArrayList<>();
      for (String e : m.emit()) {
        if (hasMethod(type, e) || hasField(type, e)) {
          emit.add(e);
        } else {
          errors.accept(
              m.where()
                  + ": emit \""
                  + e
                  + "\" is neither a method nor a field of "
                  + m.className()
                  + "; ignored");
        }
      }
      valid.add(new ServiceMapping(m.className(), state, handlers, emit, m.where()));
    }
    return valid;
  }

  private static boolean hasField(TypeDescription type, String name) {
    for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
      if (t.getDeclaredFields().stream().anyMatch(f -> f.getName().equals(name))) return true;
    }
    return false;
  }

  private static boolean hasMethod(TypeDescription type, String name) {
    return type.getDeclaredMethods().stream().anyMatch(m -> m.getName().equals(name));
  }
}
