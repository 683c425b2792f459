"""Cluster throughput: 1, 2 and 3 `vigil serve --node-id` nodes (the release build) sharing one
throw-away PostgreSQL database analyse the same simulated estate (CloudTrail, flow and DNS logs of
nine accounts in the S3 layout); prints events/s, findings/s and each node's peak memory.

The nodes start on an empty watched folder and share the shards first; then the estate is moved
into the folder at once and the clock runs until every file's checkpoint is committed and no
handover waits. Usage: scripts/cluster-bench [--days N] [--nodes 1,2,3]."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
import vigil_client  # noqa: E402
from vigil_client import KEY, SECRET, PostgresCluster, Server, wait_until, write_config  # noqa: E402

RELEASE = os.environ.get("VIGIL_RELEASE_BINARY", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "vigil"))


def peak_memory_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(cluster, estate, files, nodes, work, workers):
    url = cluster.database_for(os.path.join(work, f"bench-{nodes}"))
    database = url.rsplit("/", 1)[1]
    watch = os.path.join(work, f"watch-{nodes}")
    os.makedirs(watch)
    config = write_config(os.path.join(work, "config.json"), [(KEY, SECRET, "111111111111")])
    names = [f"n{i + 1}" for i in range(nodes)]
    servers = [Server(os.path.join(work, f"d{nodes}-{name}"), config, ["--node-id", name, "--workers", str(workers)], watch=watch, store=url).start()
               for name in names]
    try:
        share = 64 // nodes
        assert wait_until(lambda: all(int(cluster.sql(f"SELECT count(*) FROM vigilShardLease WHERE owner = '{n}'", database)) >= share
                                      for n in names), timeout=60), "the shards were not shared"
        started = time.time()
        shutil.copytree(estate, os.path.join(watch, "estate"), copy_function=os.link)

        def finished():
            done = int(cluster.sql("SELECT count(*) FROM checkpoint", database))
            waiting = int(cluster.sql("SELECT count(*) FROM vigilHandover", database))
            return done >= files and waiting == 0
        assert wait_until(finished, timeout=3600, interval=0.2), "the estate was not analysed"
        elapsed = time.time() - started
        records = int(cluster.sql("SELECT COALESCE(SUM(records), 0) FROM usage", database))
        findings = int(cluster.sql("SELECT count(*) FROM finding", database))
        memory = [peak_memory_mb(s.process.pid) for s in servers]
        per_node = cluster.sql("SELECT owner, count(*) FROM vigilShardLease GROUP BY owner ORDER BY owner", database).split()
        return {"nodes": nodes, "seconds": elapsed, "records": records, "findings": findings, "memory": memory, "shards": per_node}
    finally:
        for s in servers:
            s.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--nodes", default="1,2,3")
    parser.add_argument("--workers", type=int, default=1, help="analysis workers per node (default 1: a node is a core)")
    parser.add_argument("--estate", help="analyse this folder of logs in the S3 layout (e.g. vigil bench --work-dir's gzip/) instead of a simulated estate")
    options = parser.parse_args()
    vigil_client.BINARY = RELEASE
    work = tempfile.mkdtemp(prefix="vigil-cluster-bench-")
    cluster = PostgresCluster()
    try:
        estate = options.estate
        if not estate:
            estate = os.path.join(work, "estate")
            subprocess.run([RELEASE, "simulate", "--output", estate, "--days", str(options.days), "--accounts", "9", "--learning-days",
                            str(max(1, options.days // 2)), "--seed", "7"], check=True, capture_output=True)
            os.remove(os.path.join(estate, "attacks.json"))
        files = sum(len(fs) for _, _, fs in os.walk(estate))
        what = estate if options.estate else f"a simulated estate: {options.days} days of 9 accounts"
        print(f"{what}, {files} files; {options.workers} worker(s) a node; {os.cpu_count()} cores shared by the nodes and PostgreSQL")
        baseline = None
        for nodes in [int(n) for n in options.nodes.split(",")]:
            r = run(cluster, estate, files, nodes, work, options.workers)
            rate = r["records"] / r["seconds"]
            baseline = baseline or rate
            print(f"  {nodes} node{'s' if nodes > 1 else ' '}: {r['records']:,} records in {r['seconds']:.1f} s = {rate:,.0f} events/s "
                  f"({rate / baseline:.2f}x one node), {r['findings']:,} findings = {r['findings'] / r['seconds']:,.1f} findings/s, "
                  f"peak memory per node {', '.join(f'{m:.0f}' for m in r['memory'])} MB")
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
