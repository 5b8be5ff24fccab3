package io.tollgate.policy.core;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.topics.Topics;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: a verdict becomes the records to emit. Always a {@link PolicyDecision} (key user id); a denial adds
 * a USER revocation with not-before = now in whole seconds (every token issued up to this second dies);
 * families over the device limit become FAMILY revocations.
 */
public final class Decisions {
    public static final String ACTOR = "policy-worker";

    /** One record to produce. */
    public record Output(String topic, String key, Event<?> event) {
    }

    private Decisions() {
    }

    public static List<Output> outputs(PolicyContext context, PolicyResult result, URI source,
                                       Duration revocationLifetime) {
        Instant now = context.now().truncatedTo(ChronoUnit.SECONDS);
        List<Output> outputs = new ArrayList<>();
        PolicyDecision decision = new PolicyDecision(context.userId(), context.clientId(), context.familyId(),
                result.outcome(), result.policy(), result.reason(), now);
        outputs.add(output(Topics.POLICY_DECISIONS.name(), context.userId(), source, decision));
        if (result.denied()) {
            Revocation user = new Revocation(Revocation.Kind.USER, context.userId(), null, null, null, now,
                    now.plus(revocationLifetime), ACTOR, result.policy() + ": " + result.reason());
            outputs.add(output(Topics.REVOCATIONS.name(), user.key(), source, user));
        } else {
            for (LiveFamily family : result.familiesToRevoke()) {
                Instant expires = family.expiresAt() == null ? now.plus(revocationLifetime) : family.expiresAt();
                Revocation revocation = new Revocation(Revocation.Kind.FAMILY, context.userId(), context.clientId(),
                        family.familyId(), null, now, expires, ACTOR, "device limit");
                outputs.add(output(Topics.REVOCATIONS.name(), revocation.key(), source, revocation));
            }
        }
        return outputs;
    }

    private static Output output(String topic, String key, URI source, EventData data) {
        return new Output(topic, key, Event.of(source, data));
    }
}
