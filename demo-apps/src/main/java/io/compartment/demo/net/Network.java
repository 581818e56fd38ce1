package io.compartment.demo.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An in-memory simulated network with a single-threaded, deterministic event loop.
 *
 * <p>Every ordered pair of nodes is a link with its own FIFO queue. {@link #send} only enqueues;
 * the loop in {@link #run} delivers one message at a time by calling the destination's {@link
 * Node#onMessage}, so handlers never run re-entrantly inside each other. With reordering on, the
 * loop picks the next link to serve with a seeded {@link Random}: messages from different sources
 * interleave differently from seed to seed, but each link stays FIFO and a given seed always
 * produces the same run.
 *
 * <p>The network belongs to the thread that created it. Sends from any other thread (for instance
 * replies performed on behalf of a handler that runs somewhere else) are queued on a concurrent
 * inbox and moved onto their links by the loop; while the loop is otherwise idle it waits for them
 * until its stop condition holds.
 *
 * <p>A network can be spread over two processes joined by a {@link PeerLink} ({@link #distribute}).
 * Both processes build the same nodes in the same order, so addresses agree; each delivers only to
 * the nodes placed in it. A send to a node placed in the peer process goes over the link (Aeron),
 * and what arrives from the link is queued like any other send. A node placed in the peer process
 * does not act here: what it sends here is dropped and counted ({@link #droppedFromElsewhere()}).
 */
public final class Network {

  private static final int CHECK_EVERY = 1024;
  private static final long IDLE_PARK_NANOS = 20_000L;
  private static final int MAX_RECORDED_FAILURES = 20;

  private final Random random;
  private final boolean reorder;
  private final Thread owner;
  private final ConcurrentLinkedQueue<Envelope> inbox = new ConcurrentLinkedQueue<>();
  private final List<String> failures = new ArrayList<>();

  private NodeId[] ids = new NodeId[8];
  private Node[] nodes = new Node[8];
  private Link[][] links = new Link[8][];
  private int nodeCount;

  private Link[] ready = new Link[16];
  private int readyCount;
  private int roundRobin;

  private boolean[] remote = new boolean[8];
  private PeerLink link;
  private final List<Envelope> early = new ArrayList<>();
  private Predicate<Node> placedHere;
  private BoundaryTap boundary;
  private long boundaryIn;
  private long boundaryOut;
  private long droppedFromElsewhere;

  private DeliveryTap tap;
  private long sent;
  private long delivered;
  private long failureCount;

  /** A network that reorders deliveries between links, seeded with {@code seed}. */
  public Network(long seed) {
    this(seed, true);
  }

  /**
   * @param seed seed of the random choice between links
   * @param reorder true to pick the next link at random, false to serve links round-robin
   */
  public Network(long seed, boolean reorder) {
    this.random = new Random(seed);
    this.reorder = reorder;
    this.owner = Thread.currentThread();
  }

  /** Reserves an address for a node called {@code name}; attach the node with {@link #attach}. */
  public NodeId address(String name) {
    for (int i = 0; i < nodeCount; i++) {
      if (ids[i].name().equals(name)) {
        throw new IllegalArgumentException("duplicate node name " + name);
      }
    }
    if (nodeCount == ids.length) {
      int capacity = ids.length * 2;
      ids = Arrays.copyOf(ids, capacity);
      nodes = Arrays.copyOf(nodes, capacity);
      links = Arrays.copyOf(links, capacity);
      remote = Arrays.copyOf(remote, capacity);
    }
    NodeId id = new NodeId(nodeCount, name);
    ids[nodeCount++] = id;
    return id;
  }

  /** Attaches a node at the address it was built with. */
  public <T extends Node> T attach(T node) {
    NodeId id = node.id();
    if (id.index() >= nodeCount || !ids[id.index()].equals(id)) {
      throw new IllegalArgumentException("address " + id + " was not issued by this network");
    }
    if (nodes[id.index()] != null) {
      throw new IllegalStateException("a node is already attached at " + id);
    }
    nodes[id.index()] = node;
    remote[id.index()] = link != null && !placedHere.test(node);
    return node;
  }

  /**
   * Spreads this network over this process and the one at the other end of {@code link}: the nodes
   * for which {@code placedHere} holds are delivered to here, the others live in the peer process.
   * Call before attaching any node. The network owns the link from now on and closes it in {@link
   * #closeLink()}.
   */
  public void distribute(PeerLink link, Predicate<Node> placedHere) {
    checkOwner();
    if (this.link != null) {
      throw new IllegalStateException(
          "this network is already linked to a " + this.link.peerName());
    }
    for (int i = 0; i < nodeCount; i++) {
      if (nodes[i] != null) {
        throw new IllegalStateException("distribute before attaching nodes; " + ids[i] + " is");
      }
    }
    this.link = link;
    this.placedHere = placedHere;
    link.sink(this::receive);
  }

  /** The link to the peer process, or null when every node is here. */
  public PeerLink link() {
    return link;
  }

  /** Whether {@code id}'s node is delivered to in this process. */
  public boolean isLocal(NodeId id) {
    return !remote[id.index()];
  }

  /**
   * Installs an observer of the messages crossing to and from the peer process (null to remove).
   */
  public void boundary(BoundaryTap boundary) {
    this.boundary = boundary;
  }

  /** Messages received from the peer process. */
  public long boundaryIn() {
    return boundaryIn;
  }

  /** Messages sent to the peer process. */
  public long boundaryOut() {
    return boundaryOut;
  }

  /** Sends dropped because their sender lives in the peer process. */
  public long droppedFromElsewhere() {
    return droppedFromElsewhere;
  }

  /** Closes the link to the peer process, if any. */
  public void closeLink() {
    if (link != null) {
      for (Envelope e : early) {
        link.error(
            "a message for " + e.to() + ", which was never placed here, came from " + e.from());
      }
      early.clear();
      link.close();
    }
  }

  /** Messages from the peer process for nodes not attached here yet. */
  public int earlyMessages() {
    return early.size();
  }

  /** Reserves an address, builds the node for it and attaches it. */
  public <T extends Node> T join(String name, Function<NodeId, T> factory) {
    return attach(factory.apply(address(name)));
  }

  /** Installs an observer of every delivery (null to remove it). */
  public void tap(DeliveryTap tap) {
    this.tap = tap;
  }

  /** Queues {@code message} on the link {@code from -> to}. Never delivers synchronously. */
  public void send(NodeId from, NodeId to, Object message) {
    if (message == null) {
      throw new IllegalArgumentException("null message from " + from + " to " + to);
    }
    if (Thread.currentThread() != owner) {
      inbox.add(new Envelope(from, to, message));
      LockSupport.unpark(owner);
      return;
    }
    enqueue(from, to, message);
  }

  /** Sends an envelope; a method reference to this is a ready-made outbox. */
  public void post(Envelope envelope) {
    send(envelope.from(), envelope.to(), envelope.message());
  }

  /**
   * Delivers messages until {@code done} holds while nothing is in flight, or until {@code
   * deadlineNanos} (a {@link System#nanoTime()} value) passes.
   *
   * @return true if it stopped because {@code done} held with the network idle, false on deadline
   */
  public boolean run(BooleanSupplier done, long deadlineNanos) {
    checkOwner();
    if (!early.isEmpty()) {
      List<Envelope> waiting = new ArrayList<>(early);
      early.clear();
      waiting.forEach(this::receive); // those whose nodes are built now; the others wait again
    }
    int sinceCheck = 0;
    while (true) {
      if (readyCount > 0) {
        deliverOne();
        if (++sinceCheck >= CHECK_EVERY) {
          sinceCheck = 0;
          if (!inbox.isEmpty()) {
            drainInbox();
          }
          if (link != null) {
            link.poll();
          }
          if (System.nanoTime() - deadlineNanos >= 0) {
            return false;
          }
        }
        continue;
      }
      if (drainInbox() > 0 || (link != null && link.poll() > 0)) {
        continue;
      }
      if (done.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadlineNanos >= 0) {
        return false;
      }
      LockSupport.parkNanos(IDLE_PARK_NANOS);
    }
  }

  /** Delivers until nothing is in flight; for tests and setup phases. */
  public void runUntilIdle() {
    run(() -> true, System.nanoTime() + Long.MAX_VALUE / 2);
  }

  /** Delivers at most one message; returns false if nothing was in flight. */
  public boolean step() {
    checkOwner();
    drainInbox();
    if (readyCount == 0) {
      return false;
    }
    deliverOne();
    return true;
  }

  /** Messages queued on links and not yet delivered (excluding the cross-thread inbox). */
  public long inFlight() {
    return sent - delivered;
  }

  public long sent() {
    return sent;
  }

  public long delivered() {
    return delivered;
  }

  /** Number of handler invocations that threw. */
  public long failureCount() {
    return failureCount;
  }

  /** The first few handler failures, as "node: exception" lines. */
  public List<String> failures() {
    return Collections.unmodifiableList(failures);
  }

  public List<NodeId> nodes() {
    return List.of(Arrays.copyOf(ids, nodeCount));
  }

  private void enqueue(NodeId from, NodeId to, Object message) {
    if (link != null) {
      if (remote[from.index()]) {
        droppedFromElsewhere++;
        return;
      }
      if (remote[to.index()]) {
        boundaryOut++;
        if (boundary != null) {
          boundary.outbound(from, to, message);
        }
        link.send(new Envelope(from, to, message));
        return;
      }
    }
    enqueueHere(from, to, message);
  }

  private void receive(Envelope e) {
    int t = e.to().index();
    if (t >= nodeCount || nodes[t] == null || e.from().index() >= nodeCount) {
      // the peer process may be ready before this one has built its nodes (a slow start, a capped
      // CPU): keep the message until both ends are known here; run() tries it again
      early.add(e);
      return;
    }
    if (!ids[t].equals(e.to()) || remote[t]) {
      link.error("a message for " + e.to() + ", which is not placed here, came from " + e.from());
      return;
    }
    boundaryIn++;
    if (boundary != null) {
      boundary.inbound(e.from(), e.to(), e.message());
    }
    enqueueHere(e.from(), e.to(), e.message());
  }

  private void enqueueHere(NodeId from, NodeId to, Object message) {
    int f = from.index();
    int t = to.index();
    if (t >= nodeCount || nodes[t] == null || !ids[t].equals(to)) {
      throw new IllegalArgumentException("no node attached at " + to);
    }
    Link[] row = links[f];
    Link link;
    if (row == null || t >= row.length || (link = row[t]) == null) {
      link = createLink(f, t);
    }
    link.queue.addLast(message);
    sent++;
    if (!link.ready) {
      link.ready = true;
      if (readyCount == ready.length) {
        ready = Arrays.copyOf(ready, readyCount * 2);
      }
      ready[readyCount++] = link;
    }
  }

  private Link createLink(int from, int to) {
    Link[] row = links[from];
    if (row == null || to >= row.length) {
      row = row == null ? new Link[ids.length] : Arrays.copyOf(row, ids.length);
      links[from] = row;
    }
    Link link = new Link(ids[from], ids[to]);
    row[to] = link;
    return link;
  }

  private void deliverOne() {
    int i;
    if (readyCount == 1) {
      i = 0;
    } else if (reorder) {
      i = random.nextInt(readyCount);
    } else {
      i = roundRobin++ % readyCount;
    }
    Link link = ready[i];
    Object message = link.queue.pollFirst();
    if (link.queue.isEmpty()) {
      unready(i);
    }
    delivered++;
    if (tap != null) {
      tap.delivered(link.from, link.to, message);
    }
    Node node = nodes[link.to.index()];
    try {
      node.onMessage(link.from, message);
    } catch (RuntimeException | AssertionError e) {
      failureCount++;
      if (failures.size() < MAX_RECORDED_FAILURES) {
        failures.add(link.to + " handling " + message.getClass().getSimpleName() + ": " + e);
      }
    }
  }

  private void unready(int i) {
    Link link = ready[i];
    link.ready = false;
    Link last = ready[--readyCount];
    ready[i] = last;
    ready[readyCount] = null;
  }

  private int drainInbox() {
    int moved = 0;
    Envelope e;
    while ((e = inbox.poll()) != null) {
      enqueue(e.from(), e.to(), e.message());
      moved++;
    }
    return moved;
  }

  private void checkOwner() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("the network's event loop runs on " + owner.getName());
    }
  }

  private static final class Link {
    final NodeId from;
    final NodeId to;
    final ArrayDeque<Object> queue = new ArrayDeque<>();
    boolean ready;

    Link(NodeId from, NodeId to) {
      this.from = from;
      this.to = to;
    }
  }
}
