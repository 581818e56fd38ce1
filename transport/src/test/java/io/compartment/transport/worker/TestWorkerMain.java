package io.compartment.transport.worker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Trivial worker for tests. Usage: {@code TestWorkerMain ID [--exit CODE] [--never-ready]
 * [--hang-on-term]}.
 *
 * <ul>
 *   <li>default: prints {@code WORKER READY ID}, then echoes stdin lines ({@code echo: LINE}) and
 *       exits 0 at end of stdin (the host closed it or died);
 *   <li>{@code --exit CODE}: prints a line to stderr and exits at once with CODE;
 *   <li>{@code --never-ready}: prints a line but never the readiness line, then waits on stdin;
 *   <li>{@code --hang-on-term}: a shutdown hook that never returns, so SIGTERM does not stop it.
 * </ul>
 */
public final class TestWorkerMain {
  private TestWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String id = args[0];
    boolean ready = true;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--exit":
          int code = Integer.parseInt(args[++i]);
          System.err.println("test worker " + id + " exiting with code " + code);
          System.exit(code);
          break;
        case "--never-ready":
          ready = false;
          break;
        case "--hang-on-term":
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        System.out.println("test worker " + id + " ignoring SIGTERM");
                        System.out.flush();
                        try {
                          Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException ignore) {
                          // exit
                        }
                      }));
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println("test worker " + id + " pid " + ProcessHandle.current().pid());
    if (ready) {
      System.out.println(WorkerSpec.READY_LINE_PREFIX + id);
    }
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      System.out.println("echo: " + line);
      System.out.flush();
    }
    System.out.println("test worker " + id + " stdin closed, exiting");
  }
}
