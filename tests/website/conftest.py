import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest


class RedisServer:
    """A real redis-server on a free loopback port, which a test may stop and start again."""

    def __init__(self, executable):
        self.executable = executable
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our arguments
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail(
            "redis-server not found: the cache tests start Debian's redis-server. Run `make browser-deps` "
            "(it installs redis-server with Chromium).",
            pytrace=False,
        )
    server = RedisServer(executable)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class MotoServer:
    """moto's S3 server as its own process on a free loopback port: the object store the private
    files go to in production, spoken to over HTTP by boto3 as a real bucket would be."""

    access_key, secret_key, region = "testing-key", "testing-secret", "us-east-1"

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and moto's server
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1):  # noqa: S310
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto's S3 server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def new_bucket(self, prefix="sakhi"):
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def environment(self, bucket):
        """The variables an operator sets for this server and bucket (docs/operations.md)."""
        return {
            "SAKHI_S3_BUCKET": bucket,
            "SAKHI_S3_ENDPOINT_URL": self.endpoint_url,
            "SAKHI_S3_REGION": self.region,
            "SAKHI_S3_ACCESS_KEY_ID": self.access_key,
            "SAKHI_S3_SECRET_ACCESS_KEY": self.secret_key,
        }

    def storage_options(self, bucket, **overrides):
        """The private storage's OPTIONS for a bucket here, as base settings make them."""
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint_url,
            "region_name": self.region,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            **overrides,
        }


@pytest.fixture(scope="module")
def moto_server():
    server = MotoServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def use_private_bucket(settings, monkeypatch, server, bucket, **overrides):
    """Point the private storage at a bucket, as SAKHI_S3_BUCKET does in production, and return it
    (model fields follow: skills.storage.CurrentPrivateStorage)."""
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "skills.object_storage.PrivateS3Storage",
            "OPTIONS": server.storage_options(bucket, **overrides),
        },
    }
    return storages["private"]


@pytest.fixture
def private_bucket(moto_server, settings, monkeypatch):
    """A new, empty bucket on the moto server holding this test's private files."""
    bucket = moto_server.new_bucket()
    use_private_bucket(settings, monkeypatch, moto_server, bucket)
    return bucket
