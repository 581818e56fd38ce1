package io.compartment.demo.voting;

/**
 * How a voter decides: a deterministic function of its seat and the motion, approving about {@code
 * approvalPercent} percent of motions. Every voter of a council shares one policy.
 */
public final class VotePolicy {

  private final int approvalPercent;

  public VotePolicy(int approvalPercent) {
    if (approvalPercent < 0 || approvalPercent > 100) {
      throw new IllegalArgumentException("approval percent out of range: " + approvalPercent);
    }
    this.approvalPercent = approvalPercent;
  }

  public boolean approves(int seat, String motion) {
    long h = motion.hashCode() * 0x9E3779B97F4A7C15L + seat * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    return Math.floorMod(h, 100) < approvalPercent;
  }

  /** Whether a motion passes with {@code approvals} of {@code seats} votes: a strict majority. */
  public static boolean passes(int approvals, int seats) {
    return approvals * 2 > seats;
  }
}
