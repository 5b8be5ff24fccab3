package io.tollgate.cli;

import io.tollgate.shared.topics.ServiceAcls;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.TopicProvisioner;
import io.tollgate.shared.topics.TopicSettings;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Prepares a secured cluster for Tollgate: the catalogue's topics and the ACLs of {@link ServiceAcls}. Prints the
 * equivalent {@code kafka-topics.sh} and {@code kafka-acls.sh} commands (the default, for review or a runbook), or
 * applies them through the Admin API with an administrator's client properties ({@code --kafka-config}).
 */
@Command(name = "kafka-setup", description = "Create Tollgate's topics and each service's ACLs on a secured Kafka "
        + "cluster: print the kafka-topics.sh / kafka-acls.sh commands (default) or --apply them.")
final class KafkaSetupCommand extends TollgateCommand {
    @Option(names = "--apply", description = "Create the topics and ACLs now (needs an admin principal in --kafka-config).")
    boolean apply;

    @Option(names = "--principal", paramLabel = "ROLE=PRINCIPAL", description = "A service's Kafka principal, e.g. "
            + "token-api=User:tg-token-api (roles token-api, policy-worker, revocation-stream, gateway, auditor; "
            + "defaults User:tollgate-<role>).")
    Map<String, String> principals = new LinkedHashMap<>();

    @Option(names = "--partitions", description = "Partitions of the keyed topics (default: env "
            + "TOLLGATE_KAFKA_PARTITIONS, else 6; the registry and the dead-letter topic keep 1).")
    Integer partitions;

    @Option(names = "--replication-factor", description = "Replication factor of every topic (default: env "
            + "TOLLGATE_KAFKA_REPLICATION_FACTOR, else 3).")
    Short replicationFactor;

    @Option(names = "--min-insync-replicas", description = "min.insync.replicas of every topic (default: env "
            + "TOLLGATE_KAFKA_MIN_INSYNC_REPLICAS, else 2).")
    Integer minInsyncReplicas;

    @Option(names = "--auth-events-retention", paramLabel = "DURATION", description = "Retention of "
            + "tollgate.auth-events, e.g. 30d (default: env TOLLGATE_KAFKA_AUTH_EVENTS_RETENTION, else 30d).")
    String authEventsRetention;

    @Option(names = "--calls-retention", paramLabel = "DURATION", description = "Retention of tollgate.calls "
            + "(default: env TOLLGATE_KAFKA_CALLS_RETENTION, else 7d).")
    String callsRetention;

    @Option(names = "--dlq-retention", paramLabel = "DURATION", description = "Retention of the dead-letter topic "
            + "(default: env TOLLGATE_KAFKA_DLQ_RETENTION, else 30d).")
    String deadLettersRetention;

    @Override
    public Integer call() throws Exception {
        List<ServiceAcls.Grant> grants = ServiceAcls.grants(principals(), ServiceAcls.Names.defaults());
        List<Topic<?, ?>> topics = Topics.all(topicSettings());
        short replicationFactor = Short.parseShort(setting(this.replicationFactor, "TOLLGATE_KAFKA_REPLICATION_FACTOR",
                "3", "--replication-factor"));
        int minInsyncReplicas = Integer.parseInt(setting(this.minInsyncReplicas, "TOLLGATE_KAFKA_MIN_INSYNC_REPLICAS",
                "2", "--min-insync-replicas"));
        PrintWriter out = root.out();
        if (!apply) {
            String bootstrap = root.kafka();
            out.println("# topics (as the services' start-up check expects them)");
            for (Topic<?, ?> topic : topics) {
                out.println("kafka-topics.sh --bootstrap-server " + bootstrap + " --command-config admin.properties"
                        + " --create --if-not-exists --topic " + topic.name() + " --partitions " + topic.partitions()
                        + " --replication-factor " + replicationFactor + topic.configs(minInsyncReplicas).entrySet()
                        .stream().map(e -> " --config " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining()));
            }
            out.println("# ACLs: each service only what its code uses");
            for (ServiceAcls.Grant grant : grants) {
                out.println(grant.command(bootstrap));
            }
            out.flush();
            return 0;
        }
        Properties props = new Properties();
        props.putAll(root.kafkaClientProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, root.kafka());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            new TopicProvisioner(admin, replicationFactor, minInsyncReplicas).ensure(topics, 60_000);
            List<AclBinding> bindings = new ArrayList<>();
            grants.forEach(g -> bindings.addAll(g.bindings()));
            admin.createAcls(bindings).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CliException("Kafka refused the setup (the --kafka-config principal must be allowed to create "
                    + "topics and alter ACLs): " + e.getCause().getMessage());
        }
        out.printf("%d topics ready, %d ACL rules applied for %s%n", topics.size(), grants.size(),
                String.join(", ", principals().tokenApi(), principals().policyWorker(), principals().revocationStream(),
                        principals().gateway(), principals().auditor()));
        out.flush();
        return 0;
    }

    private ServiceAcls.Principals principals() {
        ServiceAcls.Principals d = ServiceAcls.Principals.defaults();
        for (String role : principals.keySet()) {
            if (!List.of("token-api", "policy-worker", "revocation-stream", "gateway", "auditor").contains(role)) {
                throw new CliException("--principal: unknown role '" + role + "' (token-api, policy-worker, "
                        + "revocation-stream, gateway, auditor)");
            }
        }
        return new ServiceAcls.Principals(principals.getOrDefault("token-api", d.tokenApi()),
                principals.getOrDefault("policy-worker", d.policyWorker()),
                principals.getOrDefault("revocation-stream", d.revocationStream()),
                principals.getOrDefault("gateway", d.gateway()),
                principals.getOrDefault("auditor", d.auditor()));
    }

    /** The same layout the services create with the same environment (their kafka.partitions and retention). */
    private TopicSettings topicSettings() {
        int count = Integer.parseInt(setting(partitions, "TOLLGATE_KAFKA_PARTITIONS", "6", "--partitions"));
        if (count < 1) {
            throw new CliException("--partitions must be at least 1");
        }
        return new TopicSettings(count,
                duration(authEventsRetention, "TOLLGATE_KAFKA_AUTH_EVENTS_RETENTION", "30d", "--auth-events-retention"),
                duration(callsRetention, "TOLLGATE_KAFKA_CALLS_RETENTION", "7d", "--calls-retention"),
                duration(deadLettersRetention, "TOLLGATE_KAFKA_DLQ_RETENTION", "30d", "--dlq-retention"));
    }

    private String setting(Object option, String variable, String fallback, String name) {
        String value = option != null ? option.toString() : root.env(variable, fallback);
        if (!value.matches("[0-9]{1,4}")) {
            throw new CliException(name + " (or " + variable + "): '" + value + "' is not a number");
        }
        return value;
    }

    private java.time.Duration duration(String option, String variable, String fallback, String name) {
        String value = option != null ? option : root.env(variable, fallback);
        try {
            return io.dropwizard.util.Duration.parse(value).toJavaDuration();
        } catch (IllegalArgumentException e) {
            throw new CliException(name + " (or " + variable + "): '" + value + "' is not a duration (e.g. 30d, 12h)");
        }
    }
}
