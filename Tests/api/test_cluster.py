"""Many nodes (issue 15): three `vigil serve --node-id` processes share one PostgreSQL database and
one watched folder. While the folder's files grow they are killed (SIGKILL) and restarted at random
moments, one stays dead long enough for the others to take its shards, one is paused (SIGSTOP) past
its leases and woken, and the database is stopped for 20 s; afterwards every event is counted exactly once, every finding was delivered exactly once,
and the findings and their counts are those a single node finds in the same folder."""
import json
import os
import random
import signal
import threading
import time
import uuid

import pytest

from vigil_client import KEY, SECRET, STORE, Server, postgres_cluster, wait_until, write_config

pytestmark = pytest.mark.skipif(STORE != "postgres", reason="the PostgreSQL pass only (VIGIL_TEST_STORE=postgres)")

SHARDS = 64
NODES = ["n1", "n2", "n3"]


def shard_of(account):
    """ShardSet.shard(of:): the same mix of the account's number as the Swift code."""
    return ((int(account) * 0x9E3779B97F4A7C15) % (1 << 64)) >> 58


def spread_accounts(per_third=3):
    """Accounts whose shards fall in each third of the shard range, so every node holds some."""
    chosen, thirds = [], [0, 0, 0]
    n = 210987654000
    while min(thirds) < per_third:
        n += 1
        third = min(shard_of(n) * 3 // SHARDS, 2)
        if thirds[third] < per_third:
            thirds[third] += 1
            chosen.append(str(n))
    return chosen


def root_call(account, address, minute, rng):
    return json.dumps({"eventVersion": "1.08", "eventTime": f"2026-11-30T11:{minute % 60:02d}:00Z",
                       "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets", "awsRegion": "us-east-1",
                       "sourceIPAddress": address, "userAgent": "aws-cli/2.15.0", "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
                       "eventType": "AwsApiCall", "recipientAccountId": account,
                       "userIdentity": {"type": "Root", "accountId": account, "principalId": account,
                                        "arn": f"arn:aws:iam::{account}:root"}}) + "\n"


class Webhook:
    """Receives the nodes' deliveries and keeps every event body."""

    def __init__(self):
        import http.server
        received = self.received = []

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def root_counts(cluster, database):
    rows = cluster.sql("SELECT body::text FROM finding WHERE type = 'Policy:IAMUser/RootCredentialUsage'", database).splitlines()
    got = {}
    for line in rows:
        f = json.loads(line)
        address = f["service"]["action"]["awsApiCallAction"]["remoteIpDetails"]["ipAddressV4"]
        got[(f["accountId"], address)] = f["service"]["count"]
    return got


def all_findings(cluster, database):
    """Every finding as {id: (type, account, count)}."""
    out = {}
    for line in cluster.sql("SELECT body::text FROM finding", database).splitlines():
        f = json.loads(line)
        out[f["id"]] = (f["type"], f["accountId"], f["service"]["count"])
    return out


def held_by(cluster, database, nodes):
    return int(cluster.sql(f"SELECT count(*) FROM vigilShardLease WHERE owner IN ({','.join(repr(n) for n in nodes)}) AND expires > now()",
                           database).strip())


def test_three_nodes_share_the_work_survive_kills_and_an_outage_and_match_one_node(tmp_path):
    kills = int(os.environ.get("VIGIL_CLUSTER_KILLS", "30"))
    rng = random.Random(15)
    cluster = postgres_cluster()
    url = cluster.database_for(tmp_path / "cluster")
    database = url.rsplit("/", 1)[1]
    accounts = spread_accounts()
    watch = tmp_path / "watch"
    files = []
    for account in accounts:
        folder = watch / "AWSLogs" / account / "CloudTrail" / "us-east-1" / "2026" / "11" / "30"
        folder.mkdir(parents=True)
        files += [(account, folder / f"{account}_CloudTrail_us-east-1_20261130T{i:02d}00Z_grow.json") for i in range(2)]
    # A loose file (no account in its path) with every account's events: its reader hands the
    # records of shards it does not hold to their holders.
    (watch / "loose").mkdir()
    loose = watch / "loose" / "mixed-trail.jsonl"
    expected, steps = {}, []
    for step in range(260):
        target = rng.choice(files + [(None, loose)])
        lines = ""
        for _ in range(rng.randint(1, 10)):
            account = target[0] or rng.choice(accounts)
            address = rng.choice(["198.51.100.20", "198.51.100.21"])
            expected[(account, address)] = expected.get((account, address), 0) + 1
            lines += root_call(account, address, step, rng)
        # Sometimes ending mid-line, its line finished by the next write (a writer does not leave a
        # line half-written for the 30 s after which a node reads it as it is).
        cut = len(lines) - rng.randint(1, 40) if rng.random() < 0.3 else len(lines)
        steps.append((target[1], lines[:cut]))
        if cut < len(lines):
            steps.append((target[1], lines[cut:]))
    written = sum(len(text.encode()) for _, text in steps)
    done = threading.Event()

    def writer():
        for path, text in steps:
            with open(path, "a") as f:
                f.write(text)
            time.sleep(rng.uniform(0.15, 0.5))
        done.set()

    hook = Webhook()
    config = write_config(tmp_path / "vigil.json", [(KEY, SECRET, accounts[0])],
                          eventDelivery={"webhooks": [{"url": hook.url, "secret": "s"}], "maxBackoffSeconds": 1})

    def node(name):
        return Server(str(tmp_path / name), config, ["--no-geoip", "--node-id", name], watch=str(watch), store=url)

    nodes = {name: node(name).start() for name in NODES}
    figures = {}
    try:
        # A fair share each: 22, 21 and 21 shards.
        assert wait_until(lambda: all(held_by(cluster, database, [n]) >= 21 for n in NODES), timeout=40), \
            cluster.sql("SELECT owner, count(*) FROM vigilShardLease GROUP BY owner", database)
        thread = threading.Thread(target=writer)
        thread.start()
        killed = 0
        while killed < kills:
            time.sleep(rng.uniform(0.3, 1.5))
            name = rng.choice(NODES)
            nodes[name].stop()  # SIGKILL
            killed += 1
            if killed == kills // 3:
                # Failover: n3 stays dead; the others take its shards once its leases run out.
                if name != "n3":
                    nodes["n3"].stop()
                    nodes[name] = node(name).start()
                started = time.time()
                assert wait_until(lambda: held_by(cluster, database, ["n1", "n2"]) == SHARDS, timeout=40, interval=0.25)
                figures["failover"] = time.time() - started
                nodes["n3"] = node("n3").start()
                started = time.time()
                assert wait_until(lambda: held_by(cluster, database, ["n3"]) >= 21, timeout=40, interval=0.25)
                figures["join"] = time.time() - started
                continue
            time.sleep(rng.uniform(0, 1))
            nodes[name] = node(name).start()
            if killed == kills // 2:
                # A paused node (SIGSTOP) loses its leases to the others; woken up, it finds its
                # commits refused by the fencing tokens, forgets what it held, and takes its share again.
                # It must hold its share first: a node just restarted holds nothing yet, and a node
                # that held nothing has nothing to lose.
                assert wait_until(lambda: held_by(cluster, database, ["n2"]) >= 21, timeout=40, interval=0.25)
                paused = nodes["n2"]
                paused.process.send_signal(signal.SIGSTOP)
                try:
                    assert wait_until(lambda: held_by(cluster, database, ["n1", "n3"]) == SHARDS, timeout=40, interval=0.25)
                finally:
                    paused.process.send_signal(signal.SIGCONT)
                assert wait_until(lambda: "lost shards" in paused.log() or "no longer holds shards" in paused.log(), timeout=20), paused.log()[-2000:]
                figures["paused"] = True
            if killed == 2 * kills // 3:
                # The database away for 20 s: every node is cut off, and resumes by itself.
                cluster.pause()
                try:
                    time.sleep(20)
                    assert all(n.alive() for n in nodes.values())
                finally:
                    cluster.resume()
        thread.join()
        assert done.is_set()
        # Every event counted exactly once, every byte once in the usage, no handover left behind.
        if not wait_until(lambda: root_counts(cluster, database) == expected, timeout=120):
            got = root_counts(cluster, database)
            raise AssertionError(f"(found, written) per account and address: "
                                 f"{ {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v} }")
        used = lambda: int(cluster.sql("SELECT COALESCE(SUM(bytes), 0) FROM usage WHERE dataSource = 'CLOUD_TRAIL'", database).strip())
        assert wait_until(lambda: used() == written, timeout=30), (used(), written)
        assert cluster.sql("SELECT count(*) FROM vigilHandover", database).strip() == "0"
        clustered = all_findings(cluster, database)
        # Each finding delivered once, whichever node sent it.
        assert wait_until(lambda: len(hook.received) >= len(clustered), timeout=60)
        time.sleep(2)
        delivered = [event["detail"]["id"] for event in hook.received]
        assert sorted(delivered) == sorted(clustered), "a finding was delivered twice or not at all"
        # Every node answers the API for every finding, whichever node analysed it.
        detector = nodes["n1"].client().create_detector(Enable=True)["DetectorId"]
        own = sorted(i for i, (_, account, _) in clustered.items() if account == accounts[0])
        for n in NODES:
            listed = nodes[n].client().list_findings(DetectorId=detector, MaxResults=50)["FindingIds"]
            assert sorted(listed) == own, (n, listed, own)
    except BaseException:
        # What each node said last, to tell which part of the campaign went wrong.
        for name, n in nodes.items():
            print(f"\n--- node {name} ---\n{n.log()[-3000:]}")
        print(cluster.sql("SELECT shard, owner, token, expires FROM vigilShardLease ORDER BY shard", database))
        raise
    finally:
        for n in nodes.values():
            n.stop()
        hook.close()
    # One node alone, in a database of its own, over the same folder: the same findings, the same counts.
    single_url = cluster.database_for(tmp_path / "single")
    single = Server(str(tmp_path / "single"), config, ["--no-geoip"], watch=str(watch), store=single_url).start()
    try:
        single_database = single_url.rsplit("/", 1)[1]
        assert wait_until(lambda: root_counts(cluster, single_database) == expected, timeout=120)
        assert all_findings(cluster, single_database) == clustered
    finally:
        single.stop()
    print(f"\ncluster campaign: 3 nodes, {killed} kills, a 20 s database outage, {sum(expected.values())} events of "
          f"{len(accounts)} accounts in {len(steps)} appends: none lost, none counted twice, {len(clustered)} findings each delivered "
          f"once, equal to one node's; a paused node fenced off; failover {figures['failover']:.1f} s after SIGKILL, a joining node's share in {figures['join']:.1f} s")
