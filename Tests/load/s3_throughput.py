"""Reading logs in place from S3 against reading the same files on disk: `vigil scan` (release) of a
folder, then of the same objects in moto's S3 on loopback (put there by the aws CLI), each the best
of --repeat runs. Prints objects/s and records/s of both and their ratio (target: S3 at least 80 %
of local).

    python3 Tests/load/s3_throughput.py [--folder PATH] [--repeat 2]

Without --folder, a simulated estate (`vigil simulate`, --days days of --accounts accounts) is used.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "api"))
from vigil_client import ROOT, Moto  # noqa: E402

RELEASE = os.environ.get("VIGIL_RELEASE_BINARY", os.path.join(ROOT, ".build", "release", "vigil"))


def timed_scan(target, env=None):
    start = time.perf_counter()
    result = subprocess.run([RELEASE, "scan", "--format", "json", target], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"vigil scan {target} failed: {result.stderr}")
    files = int(re.search(r"vigil scan: (\d+) files", result.stderr).group(1))
    records = sum(int(m.group(1)) for m in re.finditer(r"^\s+(?:CloudTrail|VPC Flow Logs|DNS logs)\s+\d+\s+(\d+)", result.stderr, re.M))
    return seconds, files, records, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder")
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="vigil-s3-bench-")
    moto = Moto()
    try:
        folder = args.folder
        if not folder:
            folder = os.path.join(work, "estate")
            subprocess.run([RELEASE, "simulate", "--output", folder, "--days", str(args.days), "--accounts", str(args.accounts)],
                           check=True, capture_output=True)
        moto.aws("s3", "mb", "s3://bench-logs")
        moto.aws("s3", "cp", "--recursive", "--quiet", folder, "s3://bench-logs/logs/")
        local = min((timed_scan(folder) for _ in range(args.repeat)), key=lambda r: r[0])
        remote = min((timed_scan("s3://bench-logs/logs/", env=moto.environment()) for _ in range(args.repeat)), key=lambda r: r[0])
        if local[3].replace(folder, "<logs>") != remote[3].replace("s3://bench-logs/logs", "<logs>"):
            sys.exit("the findings of the S3 scan differ from the local scan's")
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)
        print(f"{local[1]} files, {local[2]} records, {size / 1e6:.1f} MB; best of {args.repeat}; moto's S3 on loopback")
        for name, (seconds, files, records, _) in (("local folder", local), ("S3 (moto)", remote)):
            print(f"  {name:<14} {seconds:6.2f} s  {files / seconds:8.0f} objects/s  {records / seconds:10.0f} records/s")
        print(f"  S3 reads at {local[0] / remote[0] * 100:.0f} % of the local folder's speed (target 80 %)")
    finally:
        moto.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
