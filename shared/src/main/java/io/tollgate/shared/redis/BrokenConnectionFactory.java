package io.tollgate.shared.redis;

import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.PooledObjectState;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisFactory;
import redis.clients.jedis.util.Pool;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jedis's connection factory for a pool that discards every idle connection when one breaks in use: a connection
 * the pool destroys while it is lent out is one returned broken, and the same restart or network cut has most
 * likely broken the idle ones too, so the next calls connect afresh instead of failing one by one. A connection
 * the pool retires itself (an idle one failing its test, one over {@code maxIdle}) clears nothing.
 */
final class BrokenConnectionFactory extends JedisFactory {
    private final Set<Jedis> lent = ConcurrentHashMap.newKeySet();
    private volatile Pool<Jedis> pool;

    /** {@code address} null for a Sentinel pool, which sets the primary's address itself. */
    BrokenConnectionFactory(HostAndPort address, JedisClientConfig clientConfig) {
        super(address, clientConfig);
    }

    /** The pool built on this factory, whose idle connections a broken one discards. */
    <P extends Pool<Jedis>> P clears(P pool) {
        this.pool = pool;
        return pool;
    }

    /** Activated to be lent out, or (not allocated then) to be tested by the evictor while idle. */
    @Override
    public void activateObject(PooledObject<Jedis> connection) throws Exception {
        super.activateObject(connection);
        if (connection.getState() == PooledObjectState.ALLOCATED) {
            lent.add(connection.getObject());
        }
    }

    @Override
    public void passivateObject(PooledObject<Jedis> connection) throws Exception {
        lent.remove(connection.getObject());
        super.passivateObject(connection);
    }

    @Override
    public void destroyObject(PooledObject<Jedis> connection) throws Exception {
        boolean broken = lent.remove(connection.getObject());
        super.destroyObject(connection);
        Pool<Jedis> owner = pool;
        if (broken && owner != null) {
            owner.clear();
        }
    }
}
