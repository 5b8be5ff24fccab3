package io.tollgate.tokenapi.keys;

/** The signing algorithms token-api can generate keys for. */
public enum SigningAlgorithm { ES256, RS256 }
