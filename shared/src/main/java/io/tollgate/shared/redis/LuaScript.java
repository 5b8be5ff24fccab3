package io.tollgate.shared.redis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script sent by its SHA-1 ({@code EVALSHA}), computed here once, so that a call carries the keys and
 * arguments but not the script; when Redis answers {@code NOSCRIPT} (it restarted, or its scripts were flushed:
 * nothing ran) the call is sent once more with the whole script ({@code EVAL}), which Redis then caches.
 */
public final class LuaScript {
    private final String source;
    private final String sha1;

    public LuaScript(String source) {
        this.source = source;
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** The script's result, as {@link Jedis#eval(String, List, List)} gives it. */
    public Object run(Jedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, keys, args);
        }
    }
}
