"""The review loop: parse proposes, staff decide and correct, the system remembers.

The fake parser (tests/pipeline) states exactly what each upload parses to,
so each test says which notice text the reviewer is looking at.
"""
from tests.disclosure.conftest import clock, role_groups  # noqa: F401
from tests.pipeline.conftest import fake_parser, upload  # noqa: F401
