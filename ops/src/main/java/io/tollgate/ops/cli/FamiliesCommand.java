package io.tollgate.ops.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "families", description = "List a user's live token families (devices), oldest first, from Redis.")
final class FamiliesCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;

    @Parameters(paramLabel = "<user>")
    String user;

    @Option(names = "--client", description = "Only this client's families.")
    String client;

    @Override
    public Integer call() {
        List<LiveFamilies.Family> families;
        try (Jedis jedis = new Jedis(new HostAndPort(root.redisHost(), root.redisPort()),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(2000).socketTimeoutMillis(5000).build())) {
            families = LiveFamilies.of(jedis, user, client, Instant.now());
        } catch (JedisConnectionException e) {
            throw new CliException("Redis is not reachable at " + root.redisHost() + ":" + root.redisPort()
                    + " (--redis-host/--redis-port)");
        }
        if (root.json) {
            root.printJson(families);
            return 0;
        }
        if (families.isEmpty()) {
            root.out().println("no live token families for user " + user + (client == null ? "" : " and client " + client));
            root.out().flush();
            return 0;
        }
        Table table = new Table("FAMILY", "CLIENT", "CREATED", "REFRESH EXPIRES", "GEN", "SCOPE", "PLAN");
        for (LiveFamilies.Family f : families) {
            table.row(f.familyId(), f.client(), f.createdAt(), f.expiresAt(), f.generation(), f.scope(), f.planId());
        }
        table.print(root.out());
        return 0;
    }
}
