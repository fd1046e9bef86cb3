"""Sakhi as production runs it, on 127.0.0.1: gunicorn app servers on production settings, one shared
Redis, an S3 API server (moto), an SMTP sink (aiosmtpd), a task worker (`manage.py db_worker`) and
PostgreSQL (a database URL given, or a cluster of its own).

    with Topology(workdir, app_servers=2, database_url=os.environ.get("DATABASE_URL")) as top:
        requests.get(top.app_urls[0] + "/healthz")
        top.manage("shell", "-c", "...")  # with the production environment
        top.stop_redis(); top.start_redis()
        top.kill_worker(); top.start_worker()
        top.smtp_messages()

Every service is a child process in a session of its own, so that stopping one stops its children
(gunicorn's workers) too; leaving the `with` block, or an error while starting, stops them all.
tests/production/ proves what the production set-up promises with it; benchmarks/ load it."""

import contextlib
import mailbox
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
NEUTRAL_HOST = "skills-programme.example"
NEUTRAL_BASE_URL = f"https://{NEUTRAL_HOST}"
S3_BUCKET = "sakhi-private"
# The app servers stand behind one proxy: the load balancer, which the clients play (ProxiedSession
# below). It appends the client's address to X-Forwarded-For.
TRUSTED_PROXIES = 1


class TopologyError(RuntimeError):
    """A service did not start or a command failed; the message ends with the end of its log."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise TopologyError(f"exited with {process.returncode}\n{tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TopologyError(f"nothing answered on port {port} within {timeout} s\n{tail(log)}")


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def running_as_root():
    return os.geteuid() == 0


def as_postgres(argv):
    """PostgreSQL refuses to run as root; CI and this machine's sessions are root."""
    return ["runuser", "-u", "postgres", "--", *argv] if running_as_root() else argv


class Topology:
    def __init__(
        self,
        workdir,
        *,
        app_servers=2,
        gunicorn_workers=2,
        redis=True,
        s3=True,
        smtp=True,
        worker=True,
        database_url=None,
        postgres_data_dir=None,
        own_postgres=False,
        extra_env=None,
    ):
        """database_url: a database to use (its cluster's data directory in postgres_data_dir lets
        restart_postgres() restart it); without one, own_postgres=True starts a cluster of its own
        and anything else uses an SQLite file in workdir."""
        self.workdir = Path(workdir)
        self.app_server_count = app_servers
        self.gunicorn_workers = gunicorn_workers
        self.with_redis, self.with_s3, self.with_smtp, self.with_worker = redis, s3, smtp, worker
        self.database_url = database_url
        self.postgres_data_dir = postgres_data_dir
        self.own_postgres = own_postgres and not database_url
        self.extra_env = dict(extra_env or {})
        self.processes = {}
        self.ports = {}
        self.app_urls = []
        self.env = {}
        self._own_postgres_dir = None
        self._worker_lock = threading.Lock()
        self._worker_wanted = False
        self._supervisor = None
        self._stopping = threading.Event()
        self.worker_restarts = 0  # by the supervisor

    # Starting and stopping everything

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        self.logs = self.workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        if self.own_postgres:
            self._start_own_postgres()
        self.env = self._production_env()
        if self.with_redis:
            self.start_redis()
        if self.with_s3:
            self._start_s3()
        if self.with_smtp:
            self._start_smtp()
        # The deploy steps (docs/operator-guide.md); collecting static files needs no database.
        with ThreadPoolExecutor() as pool:
            static = pool.submit(self.manage, "collectstatic", "--noinput")
            self.manage("migrate", "--noinput")
            self.manage("createcachetable")
            static.result()
        for number in range(self.app_server_count):
            self.ports[f"app{number}"] = free_port()
            self.app_urls.append(f"http://127.0.0.1:{self.ports[f'app{number}']}")
        with ThreadPoolExecutor() as pool:
            for started in [pool.submit(self.start_app_server, n) for n in range(self.app_server_count)]:
                started.result()
        if self.with_worker:
            self.start_worker()

    def stop(self):
        self._stopping.set()
        with self._worker_lock:
            self._worker_wanted = False
        for name in list(self.processes):
            self._stop(name, signal.SIGTERM)
        if self._own_postgres_dir:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._pg_ctl("-m", "immediate", "stop")
            shutil.rmtree(self._own_postgres_dir, ignore_errors=True)
            self._own_postgres_dir = None

    def _spawn(self, name, argv, env=None):
        log = self.logs / f"{name}.log"
        with open(log, "ab") as output:
            self.processes[name] = subprocess.Popen(  # noqa: S603
                argv,
                cwd=ROOT,
                env=env if env is not None else self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopping it stops its children
            )
        return self.processes[name], log

    def _stop(self, name, sig):
        process = self.processes.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # A gunicorn worker outliving its master would keep the port: the whole group goes.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def is_running(self, name):
        process = self.processes.get(name)
        return process is not None and process.poll() is None

    # The environment production reads (website/settings/production.py)

    def _production_env(self):
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SAKHI_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="website.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            SAKHI_NEUTRAL_BASE_URL=NEUTRAL_BASE_URL,
            SECURE_SSL_REDIRECT="false",  # plain HTTP on 127.0.0.1; the client says https like a proxy
            SAKHI_TRUSTED_PROXY_COUNT=str(TRUSTED_PROXIES),
            DATABASE_URL=self.database_url or f"sqlite:///{self.workdir / 'sakhi.sqlite3'}",
            PRIVATE_MEDIA_ROOT=str(self.workdir / "private-media"),
            PYTHONUNBUFFERED="1",
        )
        if self.with_redis:
            env["REDIS_URL"] = f"redis://127.0.0.1:{self.ports.get('redis') or self._reserve('redis')}/0"
        if self.with_smtp:
            env.update(
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(self._reserve("smtp")),
                EMAIL_USE_TLS="false",
            )
        if self.with_s3:
            env.update(
                SAKHI_S3_BUCKET=S3_BUCKET,
                SAKHI_S3_ENDPOINT_URL=f"http://127.0.0.1:{self._reserve('s3')}",
                SAKHI_S3_ACCESS_KEY_ID="topology",
                SAKHI_S3_SECRET_ACCESS_KEY="topology-secret",  # noqa: S105 - moto accepts any
                SAKHI_S3_REGION="us-east-1",
            )
        env.update(self.extra_env)
        return env

    def _reserve(self, name):
        self.ports.setdefault(name, free_port())
        return self.ports[name]

    def manage(self, *args, check=True, timeout=600):
        """Run manage.py with the production environment; returns the finished process (text)."""
        finished = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and finished.returncode != 0:
            raise TopologyError(
                f"manage.py {' '.join(args[:2])} failed ({finished.returncode}):\n"
                f"{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}"
            )
        return finished

    # App servers

    def start_app_server(self, number):
        name, port = f"app{number}", self.ports[f"app{number}"]
        process, log = self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "website.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.gunicorn_workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
        )
        self._wait_for_health(self.app_urls[number], process, log)

    def _wait_for_health(self, url, process, log, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise TopologyError(f"the app server on {url} exited with {process.returncode}\n{tail(log)}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(url + "/healthz", timeout=2) as response,  # noqa: S310 - our server
            ):
                if response.status == 200:
                    return
            time.sleep(0.2)
        raise TopologyError(f"{url}/healthz did not answer within {timeout} s\n{tail(log)}")

    # Redis

    def start_redis(self):
        executable = shutil.which("redis-server")
        if executable is None:
            raise TopologyError("redis-server not found: run `make browser-deps`")
        port = self._reserve("redis")
        process, log = self._spawn(
            "redis",
            [executable, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        )
        wait_for_port(port, process, log)

    def stop_redis(self):
        self._stop("redis", signal.SIGTERM)

    # S3 (moto in server mode) and the SMTP sink (aiosmtpd writing to a Maildir)

    def _start_s3(self):
        port = self._reserve("s3")
        process, log = self._spawn(
            "s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        )
        wait_for_port(port, process, log)
        self.s3_client().create_bucket(Bucket=S3_BUCKET)

    def _start_smtp(self):
        port = self._reserve("smtp")
        self.maildir = self.workdir / "maildir"
        process, log = self._spawn(
            "smtp",
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "--nosetuid",
                "--listen",
                f"127.0.0.1:{port}",
                "--class",
                "aiosmtpd.handlers.Mailbox",
                str(self.maildir),
            ],
        )
        wait_for_port(port, process, log)

    def bucket_keys(self):
        """The names of every object in the private bucket."""
        pages = self.s3_client().get_paginator("list_objects_v2").paginate(Bucket=S3_BUCKET)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def object_url(self, key):
        """The object's plain URL on the S3 server (path style), as anyone could ask for it."""
        return f"{self.env['SAKHI_S3_ENDPOINT_URL']}/{S3_BUCKET}/{key}"

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["SAKHI_S3_ENDPOINT_URL"],
            aws_access_key_id=self.env["SAKHI_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["SAKHI_S3_SECRET_ACCESS_KEY"],
            region_name=self.env["SAKHI_S3_REGION"],
        )

    def smtp_messages(self):
        """Every message the sink has received, as email.message.Message objects."""
        if not self.maildir.exists():
            return []
        return list(mailbox.Maildir(self.maildir, create=False))

    # The task worker

    def start_worker(self):
        """The worker, under a supervisor that starts it again when it exits, as systemd does in
        production (docs/operator-guide.md): it exits when the database goes away, for one."""
        with self._worker_lock:
            self._worker_wanted = True
            self._spawn_worker()
        if self._supervisor is None:
            self._supervisor = threading.Thread(target=self._supervise_worker, daemon=True)
            self._supervisor.start()

    def _spawn_worker(self):
        self._spawn(
            "worker", [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"]
        )

    def _supervise_worker(self):
        while not self._stopping.wait(1):  # systemd's RestartSec
            with self._worker_lock:
                if self._worker_wanted and not self.is_running("worker") and not self._stopping.is_set():
                    self.worker_restarts += 1
                    self._spawn_worker()

    def kill_worker(self):
        """kill -9, and no restart until start_worker(): the worker gets no chance to tidy up."""
        with self._worker_lock:
            self._worker_wanted = False
            self._stop("worker", signal.SIGKILL)

    # PostgreSQL

    def _start_own_postgres(self):
        self._own_postgres_dir = Path(tempfile.mkdtemp(prefix="sakhi-topology-pg."))
        if running_as_root():
            shutil.chown(self._own_postgres_dir, "postgres")
        self.postgres_data_dir = self._own_postgres_dir / "data"
        port = free_port()
        subprocess.run(  # noqa: S603 - our own command lines, throughout
            as_postgres(
                ["initdb", "-D", str(self.postgres_data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
                + ["--locale=C.UTF-8"]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {self._own_postgres_dir} -c fsync=off"
        self._pg_ctl("-o", options, "start")
        subprocess.run(  # noqa: S603
            as_postgres(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "sakhi"]),
            check=True,
            capture_output=True,
        )
        self.database_url = f"postgres://postgres@127.0.0.1:{port}/sakhi"

    def sql(self, query, parameters=()):
        """Rows of a query on the topology's PostgreSQL database, read as an operator would."""
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(query, parameters)
            return cursor.fetchall() if cursor.description else []

    def queued_tasks(self):
        """Tasks waiting for the worker or running."""
        return self.sql(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        )[0][0]

    def restart_postgres(self):
        """A fast restart (open connections are cut), with the options the cluster was started with."""
        if not self.postgres_data_dir:
            raise TopologyError("restart_postgres() needs the cluster's data directory (postgres_data_dir)")
        self._pg_ctl("-m", "fast", "restart")

    def _pg_ctl(self, *args):
        # The server's output goes to a log beside its data directory (the postgres user's), never to
        # a pipe of ours: the server would hold it open and this call would wait for it forever.
        log = Path(self.postgres_data_dir).parent / "server.log"
        subprocess.run(  # noqa: S603
            as_postgres(["pg_ctl", "-D", str(self.postgres_data_dir), "-l", str(log), "-w", *args]),
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


# The client side: what the load balancer in front of the app servers adds to each request


def cookies_for_the_last_hop(jar):
    """Production marks its cookies Secure; the proxy speaks HTTPS to the browser and plain HTTP to
    the app servers, so here they must travel over plain HTTP. (A cookie policy on the session's jar
    would not do: requests copies the jar into one of its own for each request.)"""
    for cookie in jar:
        cookie.secure = False


def proxy_headers(url, method, client_address, host=None):
    """The headers a TLS-terminating proxy adds (the Host the browser asked for, the client's address,
    HTTPS), and the Origin a browser sends with a form."""
    headers = {"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https"}
    if host:
        headers["Host"] = host
    if method.upper() not in ("GET", "HEAD", "OPTIONS", "TRACE"):
        headers["Origin"] = f"https://{host or urlsplit(url).netloc}"
    return headers


class ProxiedSession(requests.Session):
    """A browser at `client_address` behind the load balancer, asking for `host` (the site's own
    host when None; NEUTRAL_HOST for the employer portal and the certificate checks, which the
    site's host sends there). Every request says it came over HTTPS, as the proxy would. Redirects
    are never followed: the tests look at them."""

    def __init__(self, client_address="198.51.100.7", host=None):
        super().__init__()
        self.client_address, self.host = client_address, host

    def request(self, method, url, **kwargs):
        headers = proxy_headers(url, method, self.client_address, self.host)
        kwargs["headers"] = {**headers, **(kwargs.get("headers") or {})}
        kwargs["allow_redirects"] = False
        kwargs.setdefault("timeout", 30)
        response = super().request(method, url, **kwargs)
        cookies_for_the_last_hop(self.cookies)
        return response
