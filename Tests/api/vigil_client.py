"""Helpers the API suites share: a real `vigil serve` process (the binary in $VIGIL_BINARY, else
.build/debug/vigil), boto3 clients for it, and requests signed by hand (SigV4) for what boto3 will
not send: /ingest, bodies that do not match their signature, raw bytes."""
import datetime
import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("VIGIL_BINARY", os.path.join(ROOT, ".build", "debug", "vigil"))
SAMPLES = os.path.join(os.path.dirname(ROOT), "shared", "data", "samples")
KEY, SECRET, ACCOUNT = "AKIAVIGILTEST0000001", "vigil-test-secret", "111122223333"
# The store the suites run against: "sqlite" (the default) or "postgres" (a throw-away cluster the
# suite starts, `PostgresCluster`; one database per data folder).
STORE = os.environ.get("VIGIL_TEST_STORE", "sqlite")


class PostgresCluster:
    """A throw-away PostgreSQL cluster (Debian's initdb and pg_ctl) in a temporary folder on a free
    loopback port, trusting local connections; `stop()` removes it. As root, the server runs as
    the `postgres` user (initdb refuses root)."""

    def __init__(self):
        import glob
        import shutil
        import socket
        import tempfile
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (scripts/install-deps installs Debian's postgresql)")
        self.bin = bins[-1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = tempfile.mkdtemp(prefix="vigil-pg-")
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        data = os.path.join(self.folder, "data")
        self._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--locale=C.UTF-8", "-E", "UTF8")
        self.data = data
        self.databases = set()
        self.resume()

    def _run(self, tool, *args):
        subprocess.run(self.as_user + [os.path.join(self.bin, tool), *args], check=True, capture_output=True, cwd=self.folder)

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def database_for(self, data_dir):
        """The database of a data folder (created on first use, so a restarted server finds its own)."""
        name = "vigil_" + hashlib.sha1(os.path.abspath(str(data_dir)).encode()).hexdigest()[:16]
        if name not in self.databases:
            self.sql(f"CREATE DATABASE {name}")
            self.databases.add(name)
        return self.url(name)

    def sql(self, statement, database="postgres", *options):
        """psql's unaligned output of `statement` (`options`: more psql options, such as separators)."""
        return subprocess.run([os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                               "-v", "ON_ERROR_STOP=1", "-At", *options, "-c", statement], check=True, capture_output=True, text=True).stdout

    def pause(self):
        """Stops the server (fast shutdown): nodes lose their connections."""
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def resume(self):
        """Starts the server (again)."""
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.folder, "log"), "-w", "-t", "60", "start",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=400 "
                        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")

    def stop(self):
        import shutil
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


_cluster = None


def postgres_cluster():
    """The suite's cluster, started on first use (stopped by `stop_postgres_cluster`, which the
    suites' conftest calls at the end of the session)."""
    global _cluster
    if _cluster is None:
        _cluster = PostgresCluster()
    return _cluster


def stop_postgres_cluster():
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None


def store_rows(data_dir, sql):
    """Rows of a query run on the suite's store for `data_dir` (SQL both stores read alike), as
    tuples of text (None for NULL)."""
    if STORE == "postgres":
        cluster = postgres_cluster()
        name = cluster.database_for(data_dir).rsplit("/", 1)[1]
        out = cluster.sql(sql, name, "-F", "\x1f", "-R", "\x1e", "-P", "null=\x1d")
        return [tuple(None if v == "\x1d" else v for v in row.split("\x1f")) for row in out.rstrip("\n").split("\x1e") if row]
    import sqlite3
    db = sqlite3.connect(os.path.join(str(data_dir), "vigil.sqlite"))
    try:
        return [tuple(None if v is None else str(v) for v in row) for row in db.execute(sql)]
    finally:
        db.close()


def store_arguments(data_dir):
    """The command-line arguments that point a `vigil` command at the suite's store for `data_dir`."""
    if STORE == "postgres":
        return ["--store", postgres_cluster().database_for(data_dir)]
    return []


class Server:
    """`vigil serve` on a free loopback port."""

    def __init__(self, data_dir, config, extra=(), watch=SAMPLES, env=None, store=None):
        """`store`: a store location shared with other servers (by default the suite's store for `data_dir`)."""
        self.data_dir, self.config, self.extra, self.watch, self.env = data_dir, config, list(extra), watch, env
        self.store = store
        self.process = None
        self.port = None
        self.stderr_lines = []

    def start(self):
        args = [BINARY, "serve", "--port", "0", "--data-dir", self.data_dir, "--config", self.config, "--poll-interval", "0.2"]
        args += ["--store", self.store] if self.store else store_arguments(self.data_dir)
        if self.watch:
            args += ["--watch", self.watch]
        self.process = subprocess.Popen(args + self.extra, stderr=subprocess.PIPE, text=True, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.process.stderr.readline()
            self.stderr_lines.append(line)
            m = re.search(r"listening on https?://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                # Keep reading what it logs (the last 2,000 lines), so a full pipe never stalls it.
                threading.Thread(target=self._drain, daemon=True).start()
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"vigil serve exited: {''.join(self.stderr_lines)}{self.process.stderr.read()}")
        raise RuntimeError("vigil serve did not start")

    def _drain(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line)
            del self.stderr_lines[:-2000]

    def log(self):
        """What the server wrote to stderr (its last 2,000 lines)."""
        return "".join(self.stderr_lines)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # as a crash would; the store must cope
            self.process.wait(timeout=30)

    def terminate(self, timeout=30):
        """SIGTERM, as an operator stops the service: returns its exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def alive(self):
        return self.process.poll() is None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def client(self, key=KEY, secret=SECRET, region="us-east-1"):
        return boto3.client("guardduty", endpoint_url=self.url, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret)


class Moto:
    """moto's server on a free loopback port: AWS's peer in the tests (S3, SQS, SNS, EventBridge,
    Security Hub, STS). `environment()` is what a process needs to talk to it as to AWS."""

    def __init__(self):
        import socket
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self._answers(), timeout=60)

    def _answers(self):
        try:
            urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1).read()
            return True
        except (urllib.error.URLError, OSError):
            return False

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def environment(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="AKIAMOTOTEST", AWS_SECRET_ACCESS_KEY="moto-secret", AWS_REGION="us-east-1",
                   AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=self.url, AWS_EC2_METADATA_DISABLED="true")
        env.update(extra)
        return env

    def aws(self, *args, env=None):
        """The real aws CLI against moto; returns its standard output."""
        return subprocess.run(["aws", *args], env=env or self.environment(), check=True, capture_output=True, text=True).stdout

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def synthetic_findings(path, count, templates, account, seed=7):
    """Writes `count` findings (JSON lines, as `vigil findings import` takes them) made from
    `templates` (a scan's findings): new IDs, all in `account` and us-east-1, spread over October,
    severities 2, 5, 8 and 9 (a third of them high). The same seed writes the same findings."""
    import random
    rng = random.Random(seed)
    with open(path, "w") as f:
        for i in range(count):
            t = json.loads(json.dumps(templates[i % len(templates)]))
            t["id"] = "%032x" % rng.getrandbits(128)
            t["accountId"], t["region"] = account, "us-east-1"
            stamp = f"2026-10-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{i % 59:02d}.000Z"
            t["updatedAt"] = t["createdAt"] = t["service"]["eventLastSeen"] = stamp
            t["severity"] = rng.choice([2.0, 5.0, 5.0, 8.0, 9.0])
            f.write(json.dumps(t) + "\n")


def write_config(path, credentials, **extra):
    """A configuration file with `credentials` ([(key, secret, account)]) and any other members."""
    config = {"apiCredentials": [{"accessKeyId": k, "secretAccessKey": s, "accountId": a} for k, s, a in credentials]}
    config.update(extra)
    with open(path, "w") as f:
        json.dump(config, f)
    return str(path)


def sign(server, method, path, body=b"", key=KEY, secret=SECRET, region="us-east-1", sign_at=None, service="guardduty",
         payload_hash=None, query=""):
    """SigV4 headers for a request made by hand (`payload_hash`: what to sign and send as
    x-amz-content-sha256 instead of the body's own hash)."""
    when = sign_at or datetime.datetime.now(datetime.timezone.utc)
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    host = f"127.0.0.1:{server.port}"
    canonical_uri = urllib.parse.quote(path, safe="/~")
    signed = {"host": host, "x-amz-date": amz_date}
    digest = payload_hash or hashlib.sha256(body).hexdigest()
    if payload_hash:
        signed["x-amz-content-sha256"] = payload_hash
    canonical_headers = "".join(f"{k}:{v}\n" for k, v in sorted(signed.items()))
    names = ";".join(sorted(signed))
    canonical = "\n".join([method, canonical_uri, query, canonical_headers, names, digest])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signing = ("AWS4" + secret).encode()
    for part in [day, region, service, "aws4_request"]:
        signing = hmac.new(signing, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()
    headers = {"X-Amz-Date": amz_date,
               "Authorization": f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={names}, Signature={signature}"}
    if payload_hash:
        headers["X-Amz-Content-Sha256"] = payload_hash
    return headers


def raw(server, method, path, body=b"", sign_at=None, service="guardduty", key=KEY, secret=SECRET, region="us-east-1",
        signed=None, headers=None):
    """A request made by hand: unsigned (`signed=False`, or by default a bare GET /detector), or
    signed (SigV4) at a chosen time. Returns (status, headers, text)."""
    all_headers = {"Content-Type": "application/json"}
    if signed is None:
        signed = sign_at is not None or service != "guardduty" or path != "/detector" or method != "GET" or bool(body)
    if signed:
        all_headers.update(sign(server, method, path, body, key=key, secret=secret, region=region, sign_at=sign_at, service=service))
    all_headers.update(headers or {})
    req = urllib.request.Request(server.url + path, method=method, data=body if body else None, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def wait_until(condition, timeout=30, interval=0.2):
    """Polls `condition` until it returns something truthy; returns it (or the last value)."""
    deadline = time.time() + timeout
    value = condition()
    while not value and time.time() < deadline:
        time.sleep(interval)
        value = condition()
    return value
