"""The API under load: a store of N findings, `vigil serve` (the release build) ingesting a
growing estate at the same time, and wrk driving 32 connections at one operation after another.
Prints requests/s and latency percentiles per operation; fails on any error answer, on a wrong
answer (checked with boto3 before the load), or, with --targets, when an operation misses
≥ 2,000 requests/s or p99 ≤ 50 ms.

    python3 Tests/load/api_load.py                         # 100,000 findings, 20 s per operation
    python3 Tests/load/api_load.py --findings 5000 --seconds 2   # the test suite's short run
    VIGIL_TEST_STORE=postgres python3 Tests/load/api_load.py --findings 1000000   # on a throw-away PostgreSQL cluster
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from vigil_client import (ACCOUNT, KEY, ROOT, SAMPLES, SECRET, STORE, Server, sign, stop_postgres_cluster, store_arguments,  # noqa: E402
                          synthetic_findings, write_config)

RELEASE = os.environ.get("VIGIL_RELEASE_BINARY", os.path.join(ROOT, ".build", "release", "vigil"))


def findings_file(path, count):
    """`count` findings made from the sample estate's own: new IDs, spread over October, severities
    2, 5, 8 and 9 (a third of them high)."""
    templates = json.loads(subprocess.run([RELEASE, "scan", SAMPLES, "--format", "json", "--no-geoip", "--no-builtin-intel"],
                                          check=True, capture_output=True, text=True).stdout)["findings"]
    synthetic_findings(path, count, templates, ACCOUNT)


def feed(estate, watched, stop, counter):
    """Copies the simulated estate's files into the watched folder one by one until stopped."""
    files = sorted(os.path.join(d, n) for d, _, names in os.walk(estate) for n in names)
    for source in files:
        if stop.is_set():
            return
        target = os.path.join(watched, os.path.relpath(source, estate))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target + ".part")
        os.rename(target + ".part", target)
        counter[0] += 1
        time.sleep(0.05)


def wrk(server, name, path, body, seconds, connections, warm_up=2):
    """`connections` connections sending one signed request for `seconds` (after `warm_up` seconds
    of the same, not counted: the store's pages in memory, the server's threads started)."""
    headers = sign(server, "POST", path, body.encode())
    script = "wrk.method = 'POST'\nwrk.body = [[%s]]\n" % body
    script += "wrk.headers['Content-Type'] = 'application/json'\n"
    for k, v in headers.items():
        script += "wrk.headers['%s'] = '%s'\n" % (k, v)
    # Error answers are printed (the first few kept in the results), to say what failed.
    script += "response = function(status, headers, body)\n  if status ~= 200 then io.write('ERROR ' .. status .. ' ' .. body .. '\\n') end\nend\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    def run(duration):
        return subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", "--timeout", "5s",
                               "-s", f.name, server.url + path], check=True, capture_output=True, text=True).stdout
    if warm_up:
        run(warm_up)
        time.sleep(1)  # the warm-up's last requests finish before new connections count
    out = run(seconds)
    os.unlink(f.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def ms(label):
        m = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    failures = sorted(set(line[6:200] for line in out.splitlines() if line.startswith("ERROR ")))
    return {"operation": name, "requests": total, "rps": rate, "p50_ms": ms("50%"), "p90_ms": ms("90%"), "p99_ms": ms("99%"),
            "non_2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(1) if errors else "", "failures": failures[:5]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--targets", action="store_true", help="fail below 2,000 requests/s or above 50 ms p99")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--no-ingest", action="store_true", help="measure the API alone, with no log files arriving")
    parser.add_argument("--data-dir", help="a store to use and keep: findings are imported only if it has none yet")
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="vigil-load-")
    server = None
    stop = threading.Event()
    try:
        data = options.data_dir or os.path.join(work, "data")
        imported = 0.0
        # On PostgreSQL (VIGIL_TEST_STORE=postgres) a throw-away cluster: the findings are imported every run.
        if STORE == "postgres" or not os.path.exists(os.path.join(data, "vigil.sqlite")):
            source = os.path.join(work, "findings.jsonl")
            findings_file(source, options.findings)
            started = time.time()
            subprocess.run([RELEASE, "findings", "import", source, "--data-dir", data] + store_arguments(data), check=True, capture_output=True)
            imported = time.time() - started
        estate, watched = os.path.join(work, "estate"), os.path.join(work, "watched")
        os.makedirs(watched)
        subprocess.run([RELEASE, "simulate", "--output", estate, "--days", "2", "--accounts", "2", "--learning-days", "1", "--seed", "3"],
                       check=True, capture_output=True)
        config = write_config(os.path.join(work, "config.json"), [(KEY, SECRET, ACCOUNT)])
        import vigil_client
        vigil_client.BINARY = RELEASE
        server = Server(data, config, watch=watched).start()
        client = server.client()
        detector = (client.list_detectors()["DetectorIds"] or [client.create_detector(Enable=True)["DetectorId"]])[0]
        high = {"Criterion": {"severity": {"Gte": 7}}}
        listed = client.list_findings(DetectorId=detector, FindingCriteria=high,
                                      SortCriteria={"AttributeName": "updatedAt", "OrderBy": "DESC"}, MaxResults=50)["FindingIds"]
        found = client.get_findings(DetectorId=detector, FindingIds=listed)["Findings"]
        stamps = [f["UpdatedAt"] for f in sorted(found, key=lambda f: listed.index(f["Id"]))]
        assert len(listed) == 50 and all(f["Severity"] >= 7 for f in found) and stamps == sorted(stamps, reverse=True), "ListFindings answered wrongly"
        counts = client.get_findings_statistics(DetectorId=detector, FindingStatisticTypes=["COUNT_BY_SEVERITY"])
        assert sum(counts["FindingStatistics"]["CountBySeverity"].values()) >= options.findings, counts
        copied = [0]
        feeder = threading.Thread(target=feed, args=(estate, watched, stop, copied), daemon=True)
        if not options.no_ingest:
            feeder.start()
        results = [
            wrk(server, "ListFindings severity>=7 by updatedAt", f"/detector/{detector}/findings",
                json.dumps({"findingCriteria": {"criterion": {"severity": {"gte": 7}}},
                            "sortCriteria": {"attributeName": "updatedAt", "orderBy": "DESC"}, "maxResults": 50}),
                options.seconds, options.connections),
            wrk(server, "GetFindingsStatistics COUNT_BY_SEVERITY", f"/detector/{detector}/findings/statistics",
                json.dumps({"findingStatisticTypes": ["COUNT_BY_SEVERITY"]}), options.seconds, options.connections),
        ]
        stop.set()
        print(f"{options.findings:,} findings ({f'imported in {imported:.1f} s' if imported else 'store reused'}), {options.connections} connections, "
              f"{options.seconds} s per operation, {copied[0]} log files ingested meanwhile")
        failed = False
        for r in results:
            print(f"  {r['operation']:<42} {r['rps']:>8.0f} requests/s  p50 {r['p50_ms']:.1f} ms  p90 {r['p90_ms']:.1f} ms  "
                  f"p99 {r['p99_ms']:.1f} ms  ({r['requests']} requests, {r['non_2xx']} errors{', socket errors ' + r['socket_errors'] if r['socket_errors'] else ''})")
            for failure in r["failures"]:
                print(f"    error answer: {failure}")
            failed |= r["non_2xx"] > 0
            if options.targets and (r["rps"] < 2000 or r["p99_ms"] > 50):
                print(f"  below target: {r['operation']}")
                failed = True
        if not server.alive():
            print("vigil serve died under load")
            failed = True
        if options.json:
            with open(options.json, "w") as f:
                json.dump({"findings": options.findings, "connections": options.connections, "results": results}, f, indent=2)
        return 1 if failed else 0
    finally:
        stop.set()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
        stop_postgres_cluster()


if __name__ == "__main__":
    sys.exit(main())
