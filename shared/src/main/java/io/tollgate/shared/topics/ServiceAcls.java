package io.tollgate.shared.topics;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may do what on the cluster: the ACLs that make Kafka a trust boundary between the services, defined once
 * beside the topic catalogue. Each service has its own principal and only the rights its code uses:
 * <ul>
 *   <li>token-api alone writes {@code tollgate.auth-events} (logins, refreshes, families: what revocation-stream
 *       projects into Redis) and, with the portal, {@code tollgate.registry}; it writes revocations (RFC 7009,
 *       operators);</li>
 *   <li>policy-worker alone writes {@code tollgate.policy-decisions}, in transactions with its revocations and
 *       consumer offsets;</li>
 *   <li>the gateway writes only {@code tollgate.calls};</li>
 *   <li>revocation-stream reads, and owns the internal topics and transactional ids under its Streams
 *       application id;</li>
 *   <li>an auditor reads the audit topics and nothing else, and writes nothing.</li>
 * </ul>
 * Every service may describe the catalogue's topics (its start-up check verifies their cleanup policy); none may
 * create a topic: the operator creates them with these ACLs ({@code tollgate kafka-setup}).
 */
public final class ServiceAcls {
    /** The catalogue's topics, as one prefixed resource. */
    public static final String TOPIC_PREFIX = "tollgate.";

    /** The principal of each role ({@code User:<name>}, as Kafka's authorizer names a SASL user). */
    public record Principals(String tokenApi, String policyWorker, String revocationStream, String gateway,
                             String auditor) {
        public static Principals defaults() {
            return new Principals("User:tollgate-token-api", "User:tollgate-policy-worker",
                    "User:tollgate-revocation-stream", "User:tollgate-gateway", "User:tollgate-auditor");
        }
    }

    /** The consumer group, transactional ids and Streams application id the services are configured with. */
    public record Names(String policyGroup, String policyTransactionalIdPrefix, String streamsApplicationId) {
        public static Names defaults() {
            return new Names("tollgate-policy-worker", "tollgate-policy-worker", "tollgate-revocation-stream");
        }
    }

    /** One ACL rule: a principal allowed these operations on one resource (a literal name or a prefix). */
    public record Grant(String principal, ResourceType type, String name, PatternType pattern,
                        Set<AclOperation> operations) {
        public Grant {
            operations = Set.copyOf(operations);
        }

        public List<AclBinding> bindings() {
            List<AclBinding> out = new ArrayList<>();
            for (AclOperation operation : operations) {
                out.add(new AclBinding(new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
            return out;
        }

        /** The same rule as a {@code kafka-acls.sh} command line. */
        public String command(String bootstrap) {
            StringBuilder line = new StringBuilder("kafka-acls.sh --bootstrap-server ").append(bootstrap)
                    .append(" --command-config admin.properties --add --allow-principal ").append(principal);
            operations.stream().map(ServiceAcls::operationName).sorted()
                    .forEach(op -> line.append(" --operation ").append(op));
            switch (type) {
                case TOPIC -> line.append(" --topic ").append(name);
                case GROUP -> line.append(" --group ").append(name);
                case TRANSACTIONAL_ID -> line.append(" --transactional-id ").append(name);
                case CLUSTER -> line.append(" --cluster");
                default -> throw new IllegalStateException("no kafka-acls.sh option for " + type);
            }
            if (pattern == PatternType.PREFIXED) {
                line.append(" --resource-pattern-type prefixed");
            }
            return line.toString();
        }
    }

    private ServiceAcls() {
    }

    public static List<Grant> grants(Principals principals, Names names) {
        List<Grant> grants = new ArrayList<>();
        Set<AclOperation> describe = EnumSet.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        Set<AclOperation> read = EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE);
        Set<AclOperation> write = EnumSet.of(AclOperation.WRITE, AclOperation.DESCRIBE);
        Set<AclOperation> readWrite = EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);

        for (String service : new LinkedHashSet<>(List.of(principals.tokenApi(), principals.policyWorker(),
                principals.revocationStream(), principals.gateway()))) {
            grants.add(topics(service, describe));
        }

        grants.add(topic(principals.tokenApi(), Topics.AUTH_EVENTS, write));
        grants.add(topic(principals.tokenApi(), Topics.REVOCATIONS, write));
        grants.add(topic(principals.tokenApi(), Topics.REGISTRY, readWrite));

        grants.add(topic(principals.policyWorker(), Topics.AUTH_EVENTS, read));
        grants.add(topic(principals.policyWorker(), Topics.REGISTRY, read));
        grants.add(topic(principals.policyWorker(), Topics.POLICY_DECISIONS, write));
        grants.add(topic(principals.policyWorker(), Topics.REVOCATIONS, write));
        grants.add(topic(principals.policyWorker(), Topics.POLICY_DEAD_LETTERS, write));
        grants.add(new Grant(principals.policyWorker(), ResourceType.GROUP, names.policyGroup(), PatternType.LITERAL,
                EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE)));
        grants.add(new Grant(principals.policyWorker(), ResourceType.TRANSACTIONAL_ID,
                names.policyTransactionalIdPrefix(), PatternType.PREFIXED, write));

        for (Topic<?, ?> input : List.of(Topics.AUTH_EVENTS, Topics.REVOCATIONS, Topics.POLICY_DECISIONS, Topics.CALLS)) {
            grants.add(topic(principals.revocationStream(), input, read));
        }
        String app = names.streamsApplicationId();
        grants.add(new Grant(principals.revocationStream(), ResourceType.GROUP, app, PatternType.PREFIXED,
                EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE)));
        grants.add(new Grant(principals.revocationStream(), ResourceType.TOPIC, app, PatternType.PREFIXED,
                EnumSet.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.DELETE)));
        grants.add(new Grant(principals.revocationStream(), ResourceType.TRANSACTIONAL_ID, app, PatternType.PREFIXED,
                write));

        grants.add(topic(principals.gateway(), Topics.CALLS, write));
        grants.add(topic(principals.gateway(), Topics.REGISTRY, read));

        for (Topic<?, ?> audited : List.of(Topics.AUTH_EVENTS, Topics.REVOCATIONS, Topics.POLICY_DECISIONS,
                Topics.CALLS)) {
            grants.add(topic(principals.auditor(), audited, read));
        }
        return List.copyOf(grants);
    }

    private static Grant topics(String principal, Set<AclOperation> operations) {
        return new Grant(principal, ResourceType.TOPIC, TOPIC_PREFIX, PatternType.PREFIXED, operations);
    }

    private static Grant topic(String principal, Topic<?, ?> topic, Set<AclOperation> operations) {
        return new Grant(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, operations);
    }

    /** {@code DESCRIBE_CONFIGS} as {@code kafka-acls.sh} spells it: {@code DescribeConfigs}. */
    static String operationName(AclOperation operation) {
        StringBuilder name = new StringBuilder();
        for (String part : operation.name().toLowerCase(Locale.ROOT).split("_")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }
}
