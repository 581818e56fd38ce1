package io.compartment.scenarios.adversarial;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads services compiled by the test into directories of their own, each through a child {@link
 * URLClassLoader}, and runs their static {@code long drive(int n)}. Arguments: {@code n}, then
 * {@code dir=className} pairs. Prints a checksum of the drivers' results and {@code LOADED DONE}.
 */
public final class LoadedMain {
  private LoadedMain() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    long sum = 0;
    for (int i = 1; i < args.length; i++) {
      String[] parts = args[i].split("=", 2);
      URLClassLoader loader =
          new URLClassLoader(
              new URL[] {Path.of(parts[0]).toUri().toURL()}, LoadedMain.class.getClassLoader());
      Class<?> service = Class.forName(parts[1], true, loader);
      Method drive = service.getMethod("drive", int.class);
      long result = (long) drive.invoke(null, n);
      System.out.println("RESULT " + parts[1] + " " + result);
      sum = sum * 1_000_003L + result;
    }
    System.out.println("CHECKSUM " + sum);
    System.out.println("LOADED DONE");
  }
}
