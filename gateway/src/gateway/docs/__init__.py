"""One set of docs for the platform: the merged OpenAPI document and a Swagger UI served by the gateway."""
