package dev.paystream.platform.web;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error body (RFC 9457, CONTRACT §1), for the OpenAPI document only: responses
 * are written by {@link ProblemJsonExceptionHandler}. Some problems add members, e.g. a decline
 * carries {@code payment_id} and {@code decline_code}.
 */
@Schema(name = "Problem", description = "RFC 9457 problem details; further members may follow, e.g. payment_id and decline_code on a decline")
public record ProblemDocument(
        @Schema(example = "https://paystream.dev/problems/invalid_amount") String type,
        @Schema(example = "Unprocessable Content") String title,
        @Schema(example = "422") int status,
        @Schema(example = "amount must be a positive integer") String detail,
        @Schema(example = "invalid_amount") String code,
        @Schema(example = "amount", nullable = true) String param,
        @Schema(example = "req_5f2a9c") String requestId) {
}
