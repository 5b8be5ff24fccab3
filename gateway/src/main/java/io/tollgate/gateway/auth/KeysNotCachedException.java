package io.tollgate.gateway.auth;

import com.nimbusds.jose.KeySourceException;

/** A {@link JwksKeySource#CACHED_ONLY} lookup that only a fetch could answer: ask again where blocking is allowed. */
public final class KeysNotCachedException extends KeySourceException {
    public KeysNotCachedException() {
        super("the key set must be fetched");
    }
}
