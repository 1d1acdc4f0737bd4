"""The REST API: FastAPI over the services, with authentication, roles and scopes."""
