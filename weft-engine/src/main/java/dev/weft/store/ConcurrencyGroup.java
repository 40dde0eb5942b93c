package dev.weft.store;

/** A workflow type and one of its concurrency keys: the unit a concurrency limit counts runs in. */
public record ConcurrencyGroup(String type, String key) {
}
