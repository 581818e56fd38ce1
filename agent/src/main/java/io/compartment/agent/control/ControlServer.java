package io.compartment.agent.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.compartment.agent.AgentLog;
import io.compartment.analyzer.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control endpoint: JSON over HTTP with a bearer token (DESIGN section 5). {@code GET
 * /api/status}, {@code GET /api/report}, {@code POST /api/compartments/{id}/enable} with {@code
 * {"partitions": N}} or {@code {"replicas": N}}, {@code POST /api/compartments/{id}/disable}, and
 * {@code POST /api/enable-profiled} with {@code {"partitions": N}} (what the profile recommends
 * scaling, each with N). One daemon thread serves it; requests are rare and small.
 */
public final class ControlServer implements AutoCloseable {
  /** Request bodies larger than this are refused (bytes). */
  static final int MAX_BODY = 64 * 1024;

  private static final Pattern COMPARTMENT =
      Pattern.compile("^/api/compartments/([^/]+)/(enable|disable)$");

  private final HttpServer server;
  private final ExecutorService executor;
  private final String token;
  private final ControlService service;
  private final Path discovery;

  /** Settings of the endpoint, with defaults; {@link #conclude()} validates them. */
  public static final class Context {
    private String host = "127.0.0.1";
    private int port = 0;
    private String token;
    private boolean announce = true;

    /**
     * Parses {@code HOST:PORT} (the agent's {@code control=} option); {@code off} disables the
     * endpoint, which the caller checks first. Default {@code 127.0.0.1:0} (a free port).
     */
    public Context address(String value) {
      if (value == null || value.isBlank()) return this;
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new IllegalArgumentException(
            "agent option control=" + value + " is not of the form HOST:PORT (e.g. 127.0.0.1:0)");
      }
      host = value.substring(0, colon);
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("agent option control=" + value + ": bad port");
      }
      return this;
    }

    /** The bearer token; default: 32 random bytes, hex, generated at start. */
    public Context token(String value) {
      token = value;
      return this;
    }

    /** Whether to write a discovery file (default true). */
    public Context announce(boolean value) {
      announce = value;
      return this;
    }

    Context conclude() {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("control port " + port + " is out of range 0..65535");
      }
      if (token == null || token.isEmpty()) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        token = HexFormat.of().formatHex(bytes);
      } else if (token.length() < 8) {
        throw new IllegalArgumentException("agent option token= must be at least 8 characters");
      }
      return this;
    }
  }

  private ControlServer(Context ctx, ControlService service) throws IOException {
    ctx.conclude();
    this.token = ctx.token;
    this.service = service;
    InetAddress address = InetAddress.getByName(ctx.host);
    if (!address.isLoopbackAddress()) {
      AgentLog.warn(
          "control endpoint bound to "
              + ctx.host
              + ", which is not loopback, as control= asked: anyone who can reach it and has the"
              + " token can control this process");
    }
    server = HttpServer.create(new InetSocketAddress(address, ctx.port), 8);
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "compartment-control");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    discovery = ctx.announce ? DiscoveryFile.write(ctx.host, port(), token) : null;
  }

  /** Starts the endpoint; the caller logs and carries on if this throws. */
  public static ControlServer start(Context ctx, ControlService service) throws IOException {
    return new ControlServer(ctx, service);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String token() {
    return token;
  }

  public Path discoveryFile() {
    return discovery;
  }

  private void handle(HttpExchange ex) throws IOException {
    Reply reply;
    try {
      reply = route(ex);
    } catch (Throwable t) {
      AgentLog.failure("control", "control request " + ex.getRequestURI() + " failed", t);
      reply = Reply.error(500, "internal error in the agent: " + t);
    }
    byte[] bytes = (Json.write(reply.body()) + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Reply route(HttpExchange ex) throws IOException {
    if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
      return Reply.error(
          401, "missing or wrong token: send the header Authorization: Bearer <token>");
    }
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals("/api/status") || path.equals("/api/report")) {
      if (!method.equals("GET")) return Reply.error(405, path + " takes GET, not " + method);
      return path.equals("/api/status") ? service.status() : service.report();
    }
    if (path.equals("/api/enable-profiled")) {
      if (!method.equals("POST")) return Reply.error(405, path + " takes POST, not " + method);
      String body = readBody(ex.getRequestBody());
      if (body == null) return Reply.error(413, "request body larger than " + MAX_BODY + " bytes");
      return service.enableProfiled(body);
    }
    Matcher m = COMPARTMENT.matcher(path);
    if (m.matches()) {
      if (!method.equals("POST")) return Reply.error(405, path + " takes POST, not " + method);
      String body = readBody(ex.getRequestBody());
      if (body == null) return Reply.error(413, "request body larger than " + MAX_BODY + " bytes");
      return m.group(2).equals("enable")
          ? service.enable(m.group(1), body)
          : service.disable(m.group(1));
    }
    return Reply.error(
        404,
        "no such path "
            + path
            + "; known: GET /api/status, GET /api/report, POST /api/compartments/{id}/enable,"
            + " POST /api/compartments/{id}/disable, POST /api/enable-profiled");
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Bearer ")) return false;
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  private static String readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (discovery != null) {
      try {
        Files.deleteIfExists(discovery);
      } catch (IOException ignored) {
        // a stale discovery file names a dead pid: readers check that the pid lives
      }
    }
  }
}
