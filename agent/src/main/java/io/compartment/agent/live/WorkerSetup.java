package io.compartment.agent.live;

import io.compartment.analyzer.json.Json;
import io.compartment.analyzer.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one worker needs to host its share of a compartment, written by the host to a file that the
 * worker reads at start (and again after every restart). Class names travel here, from the host's
 * own file system, never on the wire: the wire only carries values of the listed types.
 *
 * @param service binary name of the service class
 * @param compartment compartment id, for messages
 * @param plan PARTITION, REPLICATE or DECOUPLE
 * @param worker this worker's index, from 0
 * @param workers how many workers the compartment has
 * @param transport {@code ipc} (the worker uses the host's media driver) or {@code udp} (the worker
 *     runs its own)
 * @param aeronDir {@code ipc}: the host's media driver directory; {@code udp}: the folder in which
 *     the worker creates its own, named {@code <aeronDirPrefix><pid>-<worker id>} (so that the
 *     host's supervisor removes it once the worker is dead)
 * @param aeronDirPrefix {@code udp}: name prefix of the worker's media driver directory
 * @param termLength {@code udp}: term length of the worker's media driver (the host's)
 * @param channel Aeron channel URI of the calls (both streams with {@code ipc})
 * @param replyChannel Aeron channel URI of the replies
 * @param callStream stream id of host-to-worker frames
 * @param replyStream stream id of worker-to-host frames
 * @param storeFile the worker's Chronicle Map file
 * @param types classes allowed on the wire, in the order the host registered them
 * @param fingerprint the host registry's fingerprint; the worker refuses to start on a mismatch
 * @param handlers routed handlers, by index: method name, descriptor, key path (or null)
 * @param state state fields, by index
 * @param emits keys ({@code class#name+descriptor}) of the emit methods the host can perform
 * @param outboxes outbox fields of the service class, by index
 * @param config configuration fields of the service class (those whose values cannot be shipped get
 *     a stand-in made without a constructor, so that a call through them reaches its emit)
 * @param entries the size of the state file, in entries
 * @param idle how the worker's poll loop idles: a {@link LiveIdle} label (agent option {@code
 *     live.idle}); {@code backoff} when the file has none
 */
record WorkerSetup(
    String service,
    String compartment,
    String plan,
    int worker,
    int workers,
    String transport,
    String aeronDir,
    String aeronDirPrefix,
    int termLength,
    String channel,
    String replyChannel,
    int callStream,
    int replyStream,
    String storeFile,
    List<String> types,
    long fingerprint,
    List<HandlerSpec> handlers,
    List<FieldSpec> state,
    List<String> emits,
    List<String> outboxes,
    List<String> config,
    long entries,
    String idle) {

  /** A routed handler: {@code key} is its partition-key path (null when it has none). */
  record HandlerSpec(String method, String descriptor, String key) {}

  /**
   * A state field: {@code path} is the chain of instance fields, from the service object, that
   * leads to the object declaring it ({@code owner}); empty when the service object holds it.
   * {@code role}: {@code partitioned} (split by key), {@code replicated} (a copy in every worker,
   * joined on the way back), {@code whole} (all of it in this worker).
   */
  record FieldSpec(String id, String owner, String name, List<String> path, String role) {
    boolean partitioned() {
      return role.equals("partitioned");
    }
  }

  boolean udp() {
    return transport.equals("udp");
  }

  /** This setup with another call stream id (for the next process of the worker). */
  WorkerSetup withCallStream(int stream) {
    return new WorkerSetup(
        service,
        compartment,
        plan,
        worker,
        workers,
        transport,
        aeronDir,
        aeronDirPrefix,
        termLength,
        channel,
        replyChannel,
        stream,
        replyStream,
        storeFile,
        types,
        fingerprint,
        handlers,
        state,
        emits,
        outboxes,
        config,
        entries,
        idle);
  }

  String workerId() {
    return compartment.replaceAll("[^A-Za-z0-9._-]", "-") + "-w" + worker;
  }

  void write(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", service);
    m.put("compartment", compartment);
    m.put("plan", plan);
    m.put("worker", (long) worker);
    m.put("workers", (long) workers);
    m.put("transport", transport);
    m.put("aeronDir", aeronDir);
    m.put("aeronDirPrefix", aeronDirPrefix);
    m.put("termLength", (long) termLength);
    m.put("channel", channel);
    m.put("replyChannel", replyChannel);
    m.put("callStream", (long) callStream);
    m.put("replyStream", (long) replyStream);
    m.put("storeFile", storeFile);
    m.put("types", types);
    m.put("fingerprint", Long.toString(fingerprint));
    List<Object> hs = new ArrayList<>();
    for (HandlerSpec h : handlers) {
      Map<String, Object> hm = new LinkedHashMap<>();
      hm.put("method", h.method());
      hm.put("descriptor", h.descriptor());
      hm.put("key", h.key());
      hs.add(hm);
    }
    m.put("handlers", hs);
    List<Object> fs = new ArrayList<>();
    for (FieldSpec f : state) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("id", f.id());
      fm.put("owner", f.owner());
      fm.put("name", f.name());
      fm.put("path", f.path());
      fm.put("role", f.role());
      fs.add(fm);
    }
    m.put("state", fs);
    m.put("emits", emits);
    m.put("outboxes", outboxes);
    m.put("config", config);
    m.put("entries", entries);
    m.put("idle", idle);
    // whole or not at all: a worker process may read it at any time
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, Json.write(m), StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static WorkerSetup read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    JsonObject o = new JsonObject(Json.parse(text, file.toString()), file.toString());
    List<HandlerSpec> handlers = new ArrayList<>();
    for (Object h : o.list("handlers")) {
      JsonObject ho = new JsonObject(h, file + " handlers");
      handlers.add(
          new HandlerSpec(ho.string("method"), ho.string("descriptor"), ho.string("key", null)));
    }
    List<FieldSpec> state = new ArrayList<>();
    for (Object f : o.list("state")) {
      JsonObject fo = new JsonObject(f, file + " state");
      state.add(
          new FieldSpec(
              fo.string("id"),
              fo.string("owner"),
              fo.string("name"),
              fo.strings("path"),
              fo.string("role")));
    }
    return new WorkerSetup(
        o.string("service"),
        o.string("compartment"),
        o.string("plan"),
        (int) o.number("worker", 0),
        (int) o.number("workers", 1),
        o.string("transport", "ipc"),
        o.string("aeronDir"),
        o.string("aeronDirPrefix", ""),
        (int) o.number("termLength", 0),
        o.string("channel"),
        o.string("replyChannel", o.string("channel")),
        (int) o.number("callStream", 0),
        (int) o.number("replyStream", 0),
        o.string("storeFile"),
        o.strings("types"),
        Long.parseLong(o.string("fingerprint")),
        handlers,
        state,
        o.strings("emits"),
        o.strings("outboxes"),
        o.strings("config"),
        o.number("entries", 100_000),
        o.string("idle", LiveIdle.BACKOFF.label()));
  }
}
