"""The OpenAPI 3.1 document of the public REST API, generated from the protos."""
