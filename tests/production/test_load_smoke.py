"""Issue J, item 8: the load benchmark (benchmarks/load.py) at smoke scale, so that it cannot rot:
five people for ten seconds on the production topology, every kind served, no error."""

import pytest

from benchmarks.load import KINDS, figures, report, run_load

pytestmark = pytest.mark.production

USERS, SECONDS = 5, 10


def test_the_load_benchmark_runs_at_smoke_scale_without_errors(topology, tmp_path):
    samples, locust = run_load(topology, topology.seeded, users=USERS, seconds=SECONDS, workdir=tmp_path)

    table = figures(samples, SECONDS)
    print(report(table, USERS, SECONDS))
    assert table["all"]["errors"] == 0, locust.stdout[-4000:]
    assert all(table[kind]["requests"] for kind in KINDS), table
