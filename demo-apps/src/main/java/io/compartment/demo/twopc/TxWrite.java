package io.compartment.demo.twopc;

/** Adds {@code delta} to the balance of {@code account}. */
public record TxWrite(String account, long delta) {}
