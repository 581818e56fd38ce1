package io.compartment.demo.bft;

import java.util.List;

/**
 * What a client receives: matching replies of {@code replies.size()} replicas (at least f + 1),
 * each with its replica's code, which the client checks itself.
 */
public record CertifiedReply(long requestId, long seq, long result, List<SignedReply> replies) {}
