"""One production topology for the whole session (tests/production/topology.py), seeded once.

CI gives it a database of its own in the PostgreSQL cluster it already runs
(SAKHI_TOPOLOGY_DATABASE_URL, and SAKHI_TOPOLOGY_PG_DATA so that a test may restart that cluster);
elsewhere it starts a PostgreSQL cluster of its own."""

import json
import os
import time

import pytest

from .topology import ProxiedSession, Topology


@pytest.fixture(scope="session")
def topology(tmp_path_factory):
    database_url = os.environ.get("SAKHI_TOPOLOGY_DATABASE_URL")
    with Topology(
        tmp_path_factory.mktemp("topology"),
        app_servers=2,
        gunicorn_workers=2,
        database_url=database_url,
        postgres_data_dir=os.environ.get("SAKHI_TOPOLOGY_PG_DATA") if database_url else None,
        own_postgres=not database_url,
    ) as top:
        seeded = top.manage("shell", "-c", "from tests.production.seed import main; main()")
        top.seeded = json.loads(seeded.stdout.strip().splitlines()[-1])
        deadline = time.monotonic() + 120
        while top.queued_tasks() and time.monotonic() < deadline:  # the worker starts the tests idle
            time.sleep(0.5)
        yield top


@pytest.fixture
def visitor():
    """A browser behind the load balancer, at an address of the documentation range."""
    with ProxiedSession("198.51.100.20") as session:
        yield session
