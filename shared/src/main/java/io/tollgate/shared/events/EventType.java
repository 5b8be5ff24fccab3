package io.tollgate.shared.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event Tollgate emits. The CloudEvents {@code type} is {@code tollgate.} plus {@link #eventName()}. */
public enum EventType {
    LOGIN_SUCCEEDED("login.succeeded", LoginSucceeded.class),
    LOGIN_FAILED("login.failed", LoginFailed.class),
    LOGIN_LOCKED("login.locked", LoginLocked.class),
    TOKEN_REFRESHED("token.refreshed", TokenRefreshed.class),
    REFRESH_REUSED("refresh.reused", RefreshReused.class),
    REFRESH_RETRIED("refresh.retried", RefreshRetried.class),
    TOKEN_REVOKED("token.revoked", TokenRevoked.class),
    CLIENT_TOKEN_ISSUED("client_token.issued", ClientTokenIssued.class),
    REVOCATION("revocation", Revocation.class),
    POLICY_DECISION("policy.decision", PolicyDecision.class),
    API_CALL("api.call", ApiCall.class),
    APPLICATION("registry.application", ApplicationRecord.class),
    PLAN("registry.plan", PlanRecord.class),
    SUBSCRIPTION("registry.subscription", SubscriptionRecord.class),
    DEVELOPER("registry.developer", DeveloperRecord.class),
    API("registry.api", ApiRecord.class),
    USER_BLOCK("registry.user_block", UserBlockRecord.class),
    OPERATOR_ACTION("operator.action", OperatorAction.class);

    public static final String PREFIX = "tollgate.";

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<? extends EventData>, EventType> BY_DATA_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::dataClass, Function.identity()));

    private final String eventName;
    /** {@link #PREFIX} + the event name, built once: the gateway writes it into every {@code api.call}. */
    private final String type;
    private final Class<? extends EventData> dataClass;

    EventType(String eventName, Class<? extends EventData> dataClass) {
        this.eventName = eventName;
        this.type = PREFIX + eventName;
        this.dataClass = dataClass;
    }

    /** The short name, e.g. {@code login.succeeded}. */
    public String eventName() {
        return eventName;
    }

    /** The CloudEvents type, e.g. {@code tollgate.login.succeeded}. */
    public String type() {
        return type;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** The event type {@code dataClass} travels as: each {@link EventData} record is named here once. */
    static EventType of(Class<? extends EventData> dataClass) {
        return BY_DATA_CLASS.get(dataClass);
    }

    public static Optional<EventType> fromType(String type) {
        return Optional.ofNullable(type == null ? null : BY_TYPE.get(type));
    }
}
