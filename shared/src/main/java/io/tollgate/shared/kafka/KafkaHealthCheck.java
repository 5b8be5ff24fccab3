package io.tollgate.shared.kafka;

import com.codahale.metrics.health.HealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** Healthy when the cluster answers a describe-cluster within {@link #TIMEOUT}. */
public class KafkaHealthCheck extends HealthCheck {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;

    public KafkaHealthCheck(Admin admin) {
        this.admin = admin;
    }

    @Override
    protected Result check() throws Exception {
        Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                .nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (nodes.isEmpty()) {
            return Result.unhealthy("no Kafka broker answered");
        }
        return Result.healthy("%d broker(s)", nodes.size());
    }
}
