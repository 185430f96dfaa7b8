"""The counters test drives real notices through the review loop with the pipeline's fake parser."""
from tests.disclosure.conftest import clock, role_groups  # noqa: F401
from tests.pipeline.conftest import fake_parser, upload  # noqa: F401
