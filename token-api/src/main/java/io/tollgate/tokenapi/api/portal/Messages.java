package io.tollgate.tokenapi.api.portal;

/** The constraint messages of the portal's bodies: each follows the field's name. */
final class Messages {
    static final String REQUIRED = "is required";
    static final String TOO_LONG = "is too long";
    static final String STRINGS = "must be an array of strings";
    static final String GRANT_TYPES = "must be a non-empty array of grant types";
    static final String VERSION = "is required: the subscription version that was reviewed";

    private Messages() {
    }
}
