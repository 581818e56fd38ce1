package io.compartment.demo.bft;

import io.compartment.demo.net.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 message authentication codes keyed per node: every node's key is derived from one
 * deployment secret and the node's name, so any node can check a code made by any other (a stand-in
 * for signatures with the same per-message cost profile: real work on every message).
 *
 * <p>Thread-safe. Only the secret is kept; the derived keys and the per-thread {@link Mac}
 * instances are caches, rebuilt where this object is copied (for instance into a worker process).
 */
public final class Macs {
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] secret;
  private transient ThreadLocal<Mac> macs;
  private transient Map<String, SecretKeySpec> keys;

  public Macs(byte[] secret) {
    this.secret = secret.clone();
  }

  /** The code {@code signer} puts on {@code text}. */
  public byte[] sign(NodeId signer, String text) {
    try {
      Mac mac = mac();
      mac.init(keyOf(signer.name()));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot compute " + ALGORITHM, e);
    }
  }

  /** Whether {@code code} is {@code signer}'s code on {@code text}. */
  public boolean verify(NodeId signer, String text, byte[] code) {
    return code != null && MessageDigest.isEqual(sign(signer, text), code);
  }

  private SecretKeySpec keyOf(String name) throws GeneralSecurityException {
    Map<String, SecretKeySpec> cache = keys;
    if (cache == null) {
      cache = new ConcurrentHashMap<>();
      keys = cache;
    }
    SecretKeySpec key = cache.get(name);
    if (key == null) {
      Mac mac = mac();
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      key = new SecretKeySpec(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)), ALGORITHM);
      cache.put(name, key);
    }
    return key;
  }

  private Mac mac() {
    ThreadLocal<Mac> local = macs;
    if (local == null) {
      local =
          ThreadLocal.withInitial(
              () -> {
                try {
                  return Mac.getInstance(ALGORITHM);
                } catch (GeneralSecurityException e) {
                  throw new IllegalStateException(ALGORITHM + " is not available", e);
                }
              });
      macs = local;
    }
    return local.get();
  }
}
