"""Fixtures for the extraction tests: the sample notices, by id."""
import pytest

from .support import SAMPLE_IDS, SAMPLE_PATHS, sample_text


@pytest.fixture(params=SAMPLE_PATHS, ids=SAMPLE_IDS)
def sample(request):
    """``(path, text)`` of each sample notice in ../shared/notices."""
    return request.param, sample_text(request.param)
