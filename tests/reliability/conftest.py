"""The reliability tests use the shared service fixtures, and ``real_queue`` to send jobs through Redis."""
from tests.services import real_queue  # noqa: F401
