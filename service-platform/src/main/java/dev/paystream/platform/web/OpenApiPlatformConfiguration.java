package dev.paystream.platform.web;

import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.idempotency.IdempotencyFilter;
import dev.paystream.platform.idempotency.IdempotentRequest;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Makes the generated OpenAPI document say what the wire says: snake_case property names (the
 * document generator has its own JSON model, which does not see the application's JsonMapper); no
 * {@link Caller} or {@link IdempotentRequest} parameter, which the gateway and the platform fill
 * rather than the client; every {@link ProblemResponse} as a problem+json answer; and, on every
 * operation that takes an idempotency key, the header and the answers about it — so that a
 * controller says in one line per error what used to take three, and nothing about idempotency.
 *
 * <p>The document's server is {@code /}, relative to where the document was read: a client that read
 * it through the gateway ({@code /v3/api-docs/<service>}, listed in the gateway's Swagger UI) sends its
 * requests to the gateway, the only address integrators call; read on a service's own port, to that
 * service. Without it the generator names the address the request arrived at, which behind the
 * gateway is the service's internal one. Every {@code /v1} call needs an API key, so the document
 * says so ({@code x-api-key}), and Swagger UI's "Authorize" sends it.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiPlatformConfiguration {

    static final String PROBLEM_SCHEMA = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, IdempotentRequest.class);
    }

    static final String API_KEY_SCHEME = "apiKey";

    @Bean
    OpenAPI paystreamOpenApi(@Value("${spring.application.name}") String application) {
        return new OpenAPI()
                .info(new Info().title("Paystream API: " + application).version("v1")
                        .description("Part of the Paystream API served by " + application + "; the contract is docs/api.md."))
                .servers(List.of(new Server().url("/").description("where this document was read: the gateway, or the service itself")))
                .components(new Components().addSecuritySchemes(API_KEY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("x-api-key")
                        .description("A merchant's API key (sk_test_...), or the operator's admin key for admin endpoints")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME));
    }

    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenApiCustomizer problemSchema() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            Schema<?> problem = ModelConverters.getInstance().resolveAsResolvedSchema(new AnnotatedType(ProblemDocument.class)).schema;
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problem);
        };
    }

    @Bean
    OperationCustomizer problemResponsesAndIdempotencyKeys() {
        return (operation, handler) -> {
            if (operation.getResponses() == null) {
                operation.setResponses(new ApiResponses());
            }
            for (ProblemResponse problem : AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(), ProblemResponse.class)) {
                addProblem(operation.getResponses(), problem.status(), problem.description());
            }
            boolean idempotent = Arrays.stream(handler.getMethod().getParameterTypes()).anyMatch(IdempotentRequest.class::equals);
            if (idempotent) {
                operation.addParametersItem(new HeaderParameter().name(IdempotencyFilter.HEADER).required(true).schema(new StringSchema().maxLength(255))
                        .description("Repeats with the same key and request get the first response (Idempotent-Replayed: true) and have "
                                + "no second effect, also when the first answer was lost; " + IdempotencyFilter.HEADER_ALIAS + " is accepted too"));
                addProblem(operation.getResponses(), 400, "idempotency_key_missing or idempotency_key_invalid, besides malformed bodies");
                addProblem(operation.getResponses(), 409, "idempotency_key_reused (another request with this key) or "
                        + "idempotency_request_in_progress (the first is still running; see Retry-After)");
            }
            return operation;
        };
    }

    private static void addProblem(ApiResponses responses, int status, String description) {
        String key = Integer.toString(status);
        ApiResponse existing = responses.get(key);
        if (existing != null && existing.getContent() != null && existing.getContent().containsKey(PROBLEM_JSON)) {
            existing.setDescription(existing.getDescription() + "; " + description);
            return;
        }
        responses.addApiResponse(key, new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)))));
    }
}
