package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

/**
 * {@code Subscription}: an application's subscription to an API's plan. {@code usableGrantTypes} is there only in
 * an application's answer ({@link AppView}).
 */
public record SubscriptionView(String subscriptionId, String clientId, String api, String planId, String status,
                               String updatedAt, long version,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Set<String> usableGrantTypes) {
}
