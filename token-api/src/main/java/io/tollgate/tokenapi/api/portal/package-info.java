/**
 * The developer portal's request and response bodies ({@code portal/openapi.yaml}; each response view is named
 * after its schema). Request bodies are bound by Jackson and checked with Bean Validation before a resource method
 * runs. Each constraint's message is the text after the field's name ({@code "email is required"}): the portal's
 * violation mapper answers 400 {@code invalid_request} with that description. Unknown fields are ignored, as a JSON
 * API should for clients newer than it.
 */
package io.tollgate.tokenapi.api.portal;
