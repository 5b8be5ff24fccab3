package io.tollgate.tokenapi.keys;

/** The signing keys in force now: token-api reloads them when the key set file changes. */
@FunctionalInterface
public interface SigningKeySource {
    /** The current keys; take them once per token so one token is signed and described by the same set. */
    SigningKeys current();
}
