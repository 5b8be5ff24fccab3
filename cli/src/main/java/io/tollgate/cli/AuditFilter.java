package io.tollgate.cli;

import io.tollgate.shared.events.Event;

import java.time.Instant;
import java.util.Map;

/** Which audit events to show: every given criterion must match (a pure function of the event). */
record AuditFilter(Instant from, Instant to, String user, String client, String type, String ip, String operator) {

    boolean matches(Event<?> event, Map<String, Object> data) {
        if (from != null && event.time().isBefore(from)) {
            return false;
        }
        if (to != null && event.time().isAfter(to)) {
            return false;
        }
        if (type != null && !event.type().equals(type) && !event.eventType().eventName().equals(type)) {
            return false;
        }
        if (user != null && !user.equals(data.get("userId"))) {
            return false;
        }
        if (client != null && !client.equals(data.get("clientId"))) {
            return false;
        }
        if (operator != null && !operator.equals(data.get("operator"))) {
            return false; // only operator.action events name an operator
        }
        return ip == null || ip.equals(data.get("ip"));
    }
}
