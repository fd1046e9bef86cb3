import pytest

from core import changes


@pytest.fixture
def announced(monkeypatch):
    """Every change announced through core.changes while the test runs, as (kind, ids); what
    placements registered for them still runs."""
    calls = []
    for kind, functions in changes.receivers.items():

        def recording(ids, kind=kind):
            calls.append((kind, list(ids)))

        monkeypatch.setitem(changes.receivers, kind, [*functions, recording])
    return calls
