package io.tollgate.tokenapi.api.portal;

import java.util.List;
import java.util.Set;

/** {@code App}: a developer's application with its subscriptions. */
public record AppView(String clientId, String applicationId, String name, String type, String createdAt,
                      List<String> redirectUris, Set<String> grantTypes, List<SubscriptionView> subscriptions) {
}
