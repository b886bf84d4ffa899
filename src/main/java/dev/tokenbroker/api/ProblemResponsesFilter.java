package dev.tokenbroker.api;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the errors of every {@code /v1} operation: RFC 9457 problem+json with the broker's
 * {@code code} (every value of {@link ProblemCodes}), and RFC 6749 error bodies on {@code
 * /v1/oauth/token}. The annotations cannot say this once for all operations.
 */
public class ProblemResponsesFilter implements OASFilter {

  private static final String PROBLEM_REF = "#/components/schemas/Problem";
  private static final String OAUTH_ERROR_REF = "#/components/schemas/OAuthError";
  private static final String TOKEN_ENDPOINT = "/v1/oauth/token";

  private static final Map<String, String> PROBLEMS =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("400", "invalid_request: the problem names the field (invalid_params)"),
              Map.entry("401", "unauthenticated: no valid API key or service-account JWT"),
              Map.entry("403", "forbidden: the role or the allow rules do not permit it"),
              Map.entry("404", "grant_not_found, caller_not_found, provider_not_found, not_found"),
              Map.entry(
                  "409", "conflict, provider_in_use, reauthorization_required, no_refresh_token"),
              Map.entry("413", "payload_too_large"),
              Map.entry("415", "unsupported_media_type"),
              Map.entry("422", "scope_not_granted"),
              Map.entry("429", "rate_limited, with Retry-After"),
              Map.entry("502", "upstream_rejected, discovery_failed, registration_rejected"),
              Map.entry(
                  "503",
                  "upstream_unavailable, store_unavailable, crypto_unavailable, with Retry-After")));

  /** The form of {@code POST /v1/oauth/token}, which JAX-RS reads as a map. */
  private static final List<String> TOKEN_FORM =
      List.of(
          "grant_type",
          "audience",
          "resource",
          "scope",
          "subject_token",
          "subject_token_type",
          "requested_token_type",
          "client_id",
          "client_secret",
          "client_assertion_type",
          "client_assertion");

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    openAPI.getComponents().addSchema("Problem", problemSchema());
    openAPI.getComponents().addSchema("OAuthError", oauthErrorSchema());
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
      if (!path.getKey().startsWith("/v1/")) {
        continue;
      }
      for (Operation operation : path.getValue().getOperations().values()) {
        if (operation.getResponses() == null) {
          operation.setResponses(OASFactory.createAPIResponses());
        }
        if (TOKEN_ENDPOINT.equals(path.getKey())) {
          oauthErrors(operation.getResponses());
          operation.setRequestBody(tokenForm());
        } else {
          problems(operation.getResponses());
        }
      }
    }
  }

  private static void problems(APIResponses responses) {
    PROBLEMS.forEach(
        (status, description) -> {
          if (responses.getAPIResponse(status) == null
              || responses.getAPIResponse(status).getContent() == null) {
            responses.addAPIResponse(
                status, response(description, Problem.MEDIA_TYPE, PROBLEM_REF));
          }
        });
  }

  private static void oauthErrors(APIResponses responses) {
    responses.addAPIResponse(
        "400",
        response(
            "invalid_request, invalid_target, invalid_grant, invalid_scope, unsupported_grant_type",
            "application/json",
            OAUTH_ERROR_REF));
    responses.addAPIResponse(
        "401", response("invalid_client", "application/json", OAUTH_ERROR_REF));
    responses.addAPIResponse(
        "503",
        response("temporarily_unavailable, with Retry-After", "application/json", OAUTH_ERROR_REF));
  }

  private static RequestBody tokenForm() {
    Schema form =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .description(
                "RFC 6749 client_credentials or RFC 8693 token exchange; audience is a provider id,"
                    + " resource urn:token-broker:provider:<provider_id>")
            .required(List.of("grant_type"));
    for (String field : TOKEN_FORM) {
      form.addProperty(field, string());
    }
    return OASFactory.createRequestBody()
        .required(true)
        .content(
            OASFactory.createContent()
                .addMediaType(
                    "application/x-www-form-urlencoded",
                    OASFactory.createMediaType().schema(form)));
  }

  private static APIResponse response(String description, String mediaType, String schemaRef) {
    return OASFactory.createAPIResponse()
        .description(description)
        .content(
            OASFactory.createContent()
                .addMediaType(
                    mediaType,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(schemaRef))));
  }

  private static Schema problemSchema() {
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description("RFC 9457 problem details with the broker's stable code")
        .addProperty("type", string().examples(List.of("about:blank")))
        .addProperty("title", string().examples(List.of("Not Found")))
        .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
        .addProperty("detail", string())
        .addProperty("instance", string().examples(List.of("/v1/tokens")))
        .addProperty("code", string().enumeration(new ArrayList<>(problemCodes())))
        .addProperty(
            "retry_after_seconds", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
        .addProperty(
            "invalid_params",
            OASFactory.createSchema()
                .addType(Schema.SchemaType.ARRAY)
                .items(
                    OASFactory.createSchema()
                        .addType(Schema.SchemaType.OBJECT)
                        .addProperty("name", string())
                        .addProperty("reason", string())))
        .required(List.of("status", "code"));
  }

  private static Schema oauthErrorSchema() {
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description("RFC 6749 §5.2 error response")
        .addProperty(
            "error",
            string()
                .enumeration(
                    List.of(
                        "invalid_request",
                        "invalid_client",
                        "invalid_grant",
                        "invalid_scope",
                        "invalid_target",
                        "unsupported_grant_type",
                        "temporarily_unavailable")))
        .addProperty("error_description", string())
        .required(List.of("error"));
  }

  private static Schema string() {
    return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
  }

  /** Every value of {@link ProblemCodes}. */
  static List<Object> problemCodes() {
    List<Object> codes = new ArrayList<>();
    for (Field field : ProblemCodes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          codes.add(field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return codes;
  }
}
