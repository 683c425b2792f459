"""Attacks on `vigil serve` by a tenant with a valid key (or a captured request), each held: two
accounts, A and B, share one server; nothing either sends may crash the server, blind the other,
reach the other's data or make the server read or write outside what the operator allowed.

    python3 -m pytest Tests/api/test_trust.py -q
"""
import hashlib
import json
import os
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import boto3
import pytest

from vigil_client import STORE, Server, raw, sign, store_rows, wait_until, write_config

A, B, M = "111111111111", "222222222222", "333333333333"
KEY_A, SECRET_A = "AKIAVIGILTENANTA0001", "secret-a"
KEY_B, SECRET_B = "AKIAVIGILTENANTB0001", "secret-b"
KEY_M, SECRET_M = "AKIAVIGILTENANTM0001", "secret-m"
CREDENTIALS = [(KEY_A, SECRET_A, A), (KEY_B, SECRET_B, B), (KEY_M, SECRET_M, M)]
ANOMALY = {"Criterion": {"type": {"Eq": ["CredentialAccess:IAMUser/AnomalousBehavior"]}}}


@pytest.fixture
def tenants(tmp_path):
    """A server with accounts A, B and M, nothing watched; each has a detector in us-east-1."""
    lists = tmp_path / "lists"
    lists.mkdir()
    config = write_config(tmp_path / "vigil.json", CREDENTIALS, listLocations=[str(lists)])
    # No geolocation: these tests need none, and a debug build takes seconds to open Tor's GeoIP ranges.
    server = Server(str(tmp_path / "data"), config, ["--no-geoip"], watch=None).start()
    clients = {a: server.client(k, s) for k, s, a in CREDENTIALS}
    detectors = {a: c.create_detector(Enable=True)["DetectorId"] for a, c in clients.items()}
    yield server, clients, detectors, lists
    server.stop()


def failed_logins(account, address, user="admin", count=12, start_minute=0):
    """`count` failed console logins for `user` from `address`, a minute apart, as CloudTrail logs them."""
    records = [{
        "eventVersion": "1.08", "eventTime": f"2026-11-30T10:{start_minute + i:02d}:00Z", "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin", "awsRegion": "us-east-1", "sourceIPAddress": address,
        "userAgent": "Mozilla/5.0", "errorMessage": "Failed authentication", "eventID": str(uuid.uuid4()),
        "eventType": "AwsConsoleSignIn", "recipientAccountId": account,
        "userIdentity": {"type": "IAMUser", "accountId": account, "principalId": "AIDAEXAMPLE", "userName": user},
        "responseElements": {"ConsoleLogin": "Failure"}, "additionalEventData": {"MFAUsed": "No"},
    } for i in range(count)]
    return json.dumps({"Records": records}).encode()


def api_calls(account, address, api="ListBuckets", count=3):
    return json.dumps({"Records": [{
        "eventVersion": "1.08", "eventTime": f"2026-11-30T11:{i:02d}:00Z", "eventSource": "s3.amazonaws.com", "eventName": api,
        "awsRegion": "us-east-1", "sourceIPAddress": address, "userAgent": "aws-cli/2.15.0", "eventID": str(uuid.uuid4()),
        "eventType": "AwsApiCall", "recipientAccountId": account, "readOnly": True,
        "userIdentity": {"type": "IAMUser", "accountId": account, "principalId": "AIDAEXAMPLE", "userName": "alice",
                         "accessKeyId": "AKIAEXAMPLEKEY000001"},
    } for i in range(count)]}).encode()


def ingest(server, body, key, secret):
    status, _, text = raw(server, "POST", "/ingest", body=body, key=key, secret=secret)
    assert status == 200, text
    return json.loads(text)


def test_a_trusted_list_of_everything_does_not_blind_b(tenants):
    server, clients, detectors, lists = tenants
    (lists / "everything.txt").write_text("0.0.0.0/0\n")
    ip_set = clients[A].create_ip_set(DetectorId=detectors[A], Name="all", Format="TXT", Location=str(lists / "everything.txt"),
                                      Activate=True)["IpSetId"]
    assert wait_until(lambda: clients[A].get_ip_set(DetectorId=detectors[A], IpSetId=ip_set)["Status"] == "ACTIVE")
    ingest(server, failed_logins(B, "198.51.100.7"), KEY_B, SECRET_B)
    assert clients[B].list_findings(DetectorId=detectors[B], FindingCriteria=ANOMALY)["FindingIds"], "B's brute force was hidden by A's list"
    # A's own records are silenced by its list, as GuardDuty does.
    ingest(server, failed_logins(A, "198.51.100.7"), KEY_A, SECRET_A)
    assert clients[A].list_findings(DetectorId=detectors[A], FindingCriteria=ANOMALY)["FindingIds"] == []


def test_a_threat_list_raises_nothing_in_b_but_reaches_a_and_its_members(tenants):
    server, clients, detectors, lists = tenants
    (lists / "bad.txt").write_text("203.0.113.66\n")
    custom = {"Criterion": {"type": {"Eq": ["Recon:IAMUser/MaliciousIPCaller.Custom"]}}}
    threat = clients[A].create_threat_intel_set(DetectorId=detectors[A], Name="bad", Format="TXT", Location=str(lists / "bad.txt"),
                                                Activate=True)["ThreatIntelSetId"]
    assert wait_until(lambda: clients[A].get_threat_intel_set(DetectorId=detectors[A], ThreatIntelSetId=threat)["Status"] == "ACTIVE")
    ingest(server, api_calls(B, "203.0.113.66"), KEY_B, SECRET_B)
    assert clients[B].list_findings(DetectorId=detectors[B], FindingCriteria=custom)["FindingIds"] == []
    ingest(server, api_calls(A, "203.0.113.66"), KEY_A, SECRET_A)
    assert len(clients[A].list_findings(DetectorId=detectors[A], FindingCriteria=custom)["FindingIds"]) == 1
    # An administrator's lists apply to its enabled members too (GuardDuty: members cannot manage lists).
    clients[A].create_members(DetectorId=detectors[A], AccountDetails=[{"AccountId": M, "Email": "m@example.com"}])
    clients[A].invite_members(DetectorId=detectors[A], AccountIds=[M])
    invitation = clients[M].list_invitations()["Invitations"][0]["InvitationId"]
    clients[M].accept_administrator_invitation(DetectorId=detectors[M], AdministratorId=A, InvitationId=invitation)
    ingest(server, api_calls(M, "203.0.113.66"), KEY_M, SECRET_M)
    assert len(clients[M].list_findings(DetectorId=detectors[M], FindingCriteria=custom)["FindingIds"]) == 1
    # B's records still raise nothing.
    ingest(server, api_calls(B, "203.0.113.66", api="ListObjects"), KEY_B, SECRET_B)
    assert clients[B].list_findings(DetectorId=detectors[B], FindingCriteria=custom)["FindingIds"] == []


def test_one_accounts_brute_force_does_not_use_up_anothers_counters(tenants):
    server, clients, detectors, _ = tenants
    ingest(server, failed_logins(A, "198.51.100.7"), KEY_A, SECRET_A)
    assert clients[A].list_findings(DetectorId=detectors[A], FindingCriteria=ANOMALY)["FindingIds"]
    # B's identical brute force in the next minutes: its own counters, its own finding.
    ingest(server, failed_logins(B, "198.51.100.7", start_minute=2), KEY_B, SECRET_B)
    assert clients[B].list_findings(DetectorId=detectors[B], FindingCriteria=ANOMALY)["FindingIds"]


def test_ingest_refuses_another_accounts_records_and_reveals_nothing(tenants):
    server, clients, detectors, _ = tenants
    answer = ingest(server, failed_logins(B, "198.51.100.7"), KEY_A, SECRET_A)
    assert answer["records"] == 12 and answer["refusedRecords"] == 12, answer
    assert answer["findings"] == [] and "otherAccountFindings" not in answer
    assert "Records[0]" in answer["problems"][0] and B in answer["problems"][0]
    # Nothing reached B's state: B's own brute force raises its finding as if A had sent nothing,
    # and B's account holds no findings from A's attempt.
    assert clients[B].list_findings(DetectorId=detectors[B])["FindingIds"] == []
    ingest(server, failed_logins(B, "198.51.100.7", count=10, start_minute=1), KEY_B, SECRET_B)
    got = clients[B].get_findings(DetectorId=detectors[B], FindingIds=clients[B].list_findings(
        DetectorId=detectors[B], FindingCriteria=ANOMALY)["FindingIds"])["Findings"]
    assert got and all(f["Service"]["Count"] == 1 for f in got)
    # A mix: A's own records analysed, B's refused one by one.
    mixed = json.loads(failed_logins(A, "198.51.100.9", count=2))
    mixed["Records"] += json.loads(failed_logins(B, "198.51.100.9", count=2))["Records"]
    answer = ingest(server, json.dumps(mixed).encode(), KEY_A, SECRET_A)
    assert answer["records"] == 4 and answer["refusedRecords"] == 2


# ---- 1. Crashes: every member of every operation checked against the model -----------------------

def test_usage_statistics_with_negative_max_results_is_refused_naming_the_member(tenants):
    server, clients, detectors, _ = tenants
    body = json.dumps({"usageStatisticsType": "TOP_RESOURCES", "usageCriteria": {"dataSources": ["FLOW_LOGS"]}, "maxResults": -1}).encode()
    status, headers, text = raw(server, "POST", f"/detector/{detectors[A]}/usage/statistics", body=body, key=KEY_A, secret=SECRET_A)
    assert status == 400 and headers["X-Amzn-ErrorType"] == "BadRequestException" and "'maxResults'" in json.loads(text)["message"]
    with pytest.raises(clients[A].exceptions.BadRequestException):
        clients[A].get_usage_statistics(DetectorId=detectors[A], UsageStatisticType="TOP_RESOURCES",
                                        UsageCriteria={"DataSources": ["FLOW_LOGS"]}, MaxResults=51)
    assert server.alive()


def bad_values(shape, model, depth=0):
    """Values of the wrong type, out of range, huge or deeply nested for a member of `shape`."""
    kind = model["shapes"][shape]["type"]
    huge_string = "x" * 200_000
    values = [None, True, -1, 2 ** 63, 1.5, "", huge_string, "\u0000\uffff", [], {}]
    nested = {}
    for i in range(60):
        nested = {"a": nested} if i % 2 else [nested]
    values.append(nested)
    if kind in ("list", "map"):
        values += [["x"] * 20_000, {f"k{i}": "v" for i in range(5_000)}]
    if kind == "structure" and depth < 1:
        for member, spec in model["shapes"][shape].get("members", {}).items():
            if spec.get("location"):
                continue
            for v in bad_values(spec["shape"], model, depth + 1)[:6]:
                values.append({spec.get("locationName", member): v})
    return values


def test_every_operation_survives_generated_bad_bodies(tenants):
    import botocore.session
    server, clients, detectors, _ = tenants
    model = botocore.session.get_session().get_service_model("guardduty")._service_description
    detector = detectors[A]
    arn = f"arn:aws:guardduty:us-east-1:{A}:detector/{detector}"
    labels = {"DetectorId": detector, "ResourceArn": urllib.parse.quote(arn, safe=""), "FilterName": "some-filter"}
    sent = 0
    for name, operation in sorted(model["operations"].items()):
        method, uri = operation["http"]["method"], operation["http"]["requestUri"].split("?")[0]
        path = re.sub(r"\{(\w+)\+?\}", lambda m: labels.get(m.group(1), "0123456789abcdef0123456789abcdef"), uri)
        members = model["shapes"][operation["input"]["shape"]].get("members", {}) if "input" in operation else {}
        bodies = [b"", b"null", b"[]", b"{\"", bytes(range(256)), b"[" * 200_000 + b"]" * 200_000, b"{" + b" " * 900_000 + b"}"]
        for member, spec in members.items():
            if spec.get("location"):
                continue
            for value in bad_values(spec["shape"], model):
                bodies.append(json.dumps({spec.get("locationName", member): value}).encode())
        for body in bodies:
            status, headers, text = raw(server, method, path, body=body, key=KEY_A, secret=SECRET_A)
            sent += 1
            assert status < 500, f"{name} {len(body)} bytes: {status} {text[:300]}"
            if status >= 400:
                assert headers.get("X-Amzn-ErrorType"), name
                json.loads(text)
    assert sent > 2000 and server.alive()
    # Still answering (DeleteDetector with any body is a valid request: the detector may be gone).
    assert isinstance(clients[A].list_detectors()["DetectorIds"], list)
    assert clients[B].list_detectors()["DetectorIds"] == [detectors[B]]


# ---- 3. Locations --------------------------------------------------------------------------------

def test_list_locations_outside_the_allowlist_are_refused_in_the_same_words(tenants, tmp_path):
    server, clients, detectors, lists = tenants
    client, detector = clients[A], detectors[A]
    (lists / "fine.txt").write_text("198.51.100.1\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("198.51.100.2\n")
    (lists / "escape.txt").symlink_to(outside)
    other = tmp_path / "data" / "lists" / B
    other.mkdir(parents=True)
    (other / "b.txt").write_text("198.51.100.3\n")
    answers = set()
    for location in [os.path.join(server.data_dir, "vigil.sqlite"), "/etc/shadow", "/etc/passwd", "/nonexistent/list.txt",
                     "file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "https://169.254.169.254/",
                     "http://127.0.0.1:1/list.txt", "http://[::1]/x", "ftp://example.com/x", "gopher://x", str(lists / "escape.txt"),
                     str(lists / ".." / "outside.txt"), str(other / "b.txt"), "relative/path.txt", "s3://bucket/key"]:
        with pytest.raises(client.exceptions.BadRequestException) as refused:
            client.create_ip_set(DetectorId=detector, Name="x", Format="TXT", Location=location, Activate=True)
        answers.add(refused.value.response["Error"]["Message"])
    assert len(answers) == 1, answers  # one answer for every refusal: no file or network oracle
    assert client.list_ip_sets(DetectorId=detector)["IpSetIds"] == []
    # Inside the allowlist it works, and the set names a quota: one IPSet per detector, as in GuardDuty.
    fine = client.create_ip_set(DetectorId=detector, Name="fine", Format="TXT", Location=str(lists / "fine.txt"), Activate=True)["IpSetId"]
    assert wait_until(lambda: client.get_ip_set(DetectorId=detector, IpSetId=fine)["Status"] == "ACTIVE")
    with pytest.raises(client.exceptions.BadRequestException):
        client.create_ip_set(DetectorId=detector, Name="second", Format="TXT", Location=str(lists / "fine.txt"), Activate=True)


class EndlessOrigins:
    """A list server on loopback: /slow never answers, /endless sends bytes without end."""

    def __init__(self):
        import socket
        import threading
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.running = True
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        import threading
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection):
        try:
            request = connection.recv(4096)
            if b"/endless" in request:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
                line = b"198.51.100.%d\n" % 7
                while self.running:
                    connection.sendall(line * 4096)
            else:
                while self.running:
                    time.sleep(0.5)  # never answers
        except OSError:
            pass
        finally:
            connection.close()

    def close(self):
        self.running = False
        self.socket.close()


def test_slow_and_endless_origins_stall_nothing(tmp_path):
    origins = EndlessOrigins()
    prefix = f"http://127.0.0.1:{origins.port}/"
    config = write_config(tmp_path / "vigil.json", CREDENTIALS, listLocations=[prefix], listPrivateNetworks=["127.0.0.1/32"],
                          listFetchTimeoutSeconds=4)
    server = Server(str(tmp_path / "data"), config, watch=None).start()
    try:
        client = server.client(KEY_A, SECRET_A)
        detector = client.create_detector(Enable=True)["DetectorId"]
        slow = [client.create_threat_intel_set(DetectorId=detector, Name=f"slow{i}", Format="TXT", Location=prefix + f"slow{i}.txt",
                                               Activate=True)["ThreatIntelSetId"] for i in range(4)]
        endless = client.create_threat_entity_set(DetectorId=detector, Name="endless", Format="TXT", Location=prefix + "endless.txt",
                                                  Activate=True)["ThreatEntitySetId"]
        # While they are read, the server answers at once — unauthenticated pages and the API alike.
        for _ in range(5):
            started = time.time()
            status, _, _ = raw(server, "GET", "/console/", signed=False)
            assert status == 200 and time.time() - started < 1.0
            started = time.time()
            assert client.list_threat_intel_sets(DetectorId=detector)["ThreatIntelSetIds"]
            assert time.time() - started < 1.0
            time.sleep(0.3)
        statuses = lambda: {client.get_threat_intel_set(DetectorId=detector, ThreatIntelSetId=s)["Status"] for s in slow}
        assert wait_until(lambda: statuses() == {"ERROR"}, timeout=40)
        got = wait_until(lambda: (lambda g: g if g["Status"] == "ERROR" else None)(
            client.get_threat_entity_set(DetectorId=detector, ThreatEntitySetId=endless)), timeout=40)
        assert got and "larger than" in got["ErrorDetails"]
        assert server.alive()
    finally:
        server.stop()
        origins.close()


def test_a_list_whose_file_vanished_is_in_error_and_the_server_starts(tenants):
    server, clients, detectors, lists = tenants
    client, detector = clients[A], detectors[A]
    (lists / "gone.txt").write_text("198.51.100.9\n")
    threat = client.create_threat_intel_set(DetectorId=detector, Name="gone", Format="TXT", Location=str(lists / "gone.txt"),
                                            Activate=True)["ThreatIntelSetId"]
    assert wait_until(lambda: client.get_threat_intel_set(DetectorId=detector, ThreatIntelSetId=threat)["Status"] == "ACTIVE")
    server.stop()
    (lists / "gone.txt").unlink()
    server.start()
    client = server.client(KEY_A, SECRET_A)
    got = wait_until(lambda: (lambda g: g if g["Status"] == "ERROR" else None)(
        client.get_threat_intel_set(DetectorId=detector, ThreatIntelSetId=threat)))
    assert got, "the set whose file vanished is not in ERROR"
    # The reason is on the entity-set form; the set is simply not used.
    assert client.list_detectors()["DetectorIds"] == [detector]


# ---- 4. Publishing destinations ------------------------------------------------------------------

def test_publishing_destinations_write_only_under_the_accounts_own_exports(tenants, tmp_path):
    server, clients, detectors, _ = tenants
    client, detector = clients[A], detectors[A]
    exports = os.path.join(server.data_dir, "exports")
    answers = set()
    for arn in ["file:///tmp/vigil-escape", f"file://{tmp_path}/elsewhere", f"file://{exports}/{B}/mine",
                f"file://{exports}/{A}/../{B}", "arn:aws:s3:::bucket/../../etc", "arn:aws:s3:::../escape", "arn:aws:s3:::Bad_Bucket",
                "file:///etc/cron.d", "not-an-arn"]:
        with pytest.raises(client.exceptions.BadRequestException) as refused:
            client.create_publishing_destination(DetectorId=detector, DestinationType="S3", DestinationProperties={"DestinationArn": arn})
        answers.add(refused.value.response["Error"]["Message"])
    assert len(answers) == 1, answers
    assert not os.path.exists("/tmp/vigil-escape") and not os.path.exists(tmp_path / "elsewhere")
    assert not os.path.exists(os.path.join(exports, B))
    ok = client.create_publishing_destination(DetectorId=detector, DestinationType="S3",
                                              DestinationProperties={"DestinationArn": "arn:aws:s3:::findings/guardduty"})["DestinationId"]
    assert client.describe_publishing_destination(DetectorId=detector, DestinationId=ok)["Status"] == "PUBLISHING"
    assert os.path.isdir(os.path.join(exports, A, "findings", "guardduty"))
    with pytest.raises(client.exceptions.BadRequestException):  # one destination a detector
        client.create_publishing_destination(DetectorId=detector, DestinationType="S3",
                                             DestinationProperties={"DestinationArn": "arn:aws:s3:::second"})
    client.delete_publishing_destination(DetectorId=detector, DestinationId=ok)
    own = client.create_publishing_destination(DetectorId=detector, DestinationType="S3",
                                               DestinationProperties={"DestinationArn": f"file://{exports}/{A}/local"})["DestinationId"]
    assert client.describe_publishing_destination(DetectorId=detector, DestinationId=own)["Status"] == "PUBLISHING"


# ---- 5. SigV4 --------------------------------------------------------------------------------------

def test_a_captured_request_cannot_be_replayed_with_another_body(tenants):
    server, clients, detectors, _ = tenants
    path = f"/detector/{detectors[B]}/filter"
    noop = json.dumps({"name": "quiet", "action": "NOOP", "findingCriteria": {"criterion": {"severity": {"gte": 9}}}}).encode()
    archive = json.dumps({"name": "quiet", "action": "ARCHIVE", "findingCriteria": {"criterion": {}}}).encode()
    captured = sign(server, "POST", path, noop, key=KEY_B, secret=SECRET_B)
    # Replayed with another body: the signature covers the body's hash.
    status, _, text = raw(server, "POST", path, body=archive, signed=False, headers=captured)
    assert status == 403 and "signature" in text.lower()
    # Or with the original hash declared in x-amz-content-sha256 but another body: refused too.
    declared = sign(server, "POST", path, noop, key=KEY_B, secret=SECRET_B, payload_hash=hashlib.sha256(noop).hexdigest())
    status, headers, text = raw(server, "POST", path, body=archive, signed=False, headers=declared)
    assert status == 400 and headers["X-Amzn-ErrorType"] == "XAmzContentSHA256Mismatch"
    assert clients[B].list_filters(DetectorId=detectors[B])["FilterNames"] == []
    # The genuine request goes through.
    status, _, _ = raw(server, "POST", path, body=noop, signed=False, headers=declared)
    assert status == 200 and clients[B].get_filter(DetectorId=detectors[B], FilterName="quiet")["Action"] == "NOOP"


def test_https(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    config = write_config(tmp_path / "vigil.json", CREDENTIALS)
    server = Server(str(tmp_path / "data"), config, ["--tls-cert", str(cert), "--tls-key", str(key)], watch=None).start()
    try:
        assert "listening on https://" in "".join(server.stderr_lines)
        client = boto3.client("guardduty", endpoint_url=f"https://127.0.0.1:{server.port}", region_name="us-east-1",
                              aws_access_key_id=KEY_A, aws_secret_access_key=SECRET_A, verify=str(cert))
        detector = client.create_detector(Enable=True)["DetectorId"]
        assert client.list_detectors()["DetectorIds"] == [detector]
        out = subprocess.run(["aws", "guardduty", "list-detectors", "--endpoint-url", f"https://127.0.0.1:{server.port}",
                              "--ca-bundle", str(cert), "--region", "us-east-1"],
                             env=dict(os.environ, AWS_ACCESS_KEY_ID=KEY_A, AWS_SECRET_ACCESS_KEY=SECRET_A), capture_output=True, text=True)
        assert out.returncode == 0 and detector in out.stdout, out.stderr
        # Plain HTTP to the TLS port gets nowhere.
        with pytest.raises(Exception):
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/console/", timeout=5).read()
    finally:
        server.stop()


# ---- 6. HTTP limits --------------------------------------------------------------------------------

@pytest.fixture
def limited(tmp_path):
    config = write_config(tmp_path / "vigil.json", CREDENTIALS,
                          httpLimits={"idleTimeoutSeconds": 2, "bodyTimeoutSeconds": 3, "connectionsPerAddress": 20})
    server = Server(str(tmp_path / "data"), config, ["--no-geoip"], watch=None).start()
    yield server
    server.stop()


def exchange(port, data, wait=5.0):
    """Sends `data` on a fresh connection; returns the first response (or what came back before the
    server closed the connection or `wait` passed)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(wait)
    try:
        s.sendall(data)
    except OSError:
        pass
    received = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
            head, _, rest = received.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: *(\d+)", head)
            if _ and length and len(rest) >= int(length.group(1)):
                break
    except (socket.timeout, OSError):
        pass
    s.close()
    return received


def test_large_bodies_are_refused_before_authentication(limited):
    server = limited
    started = time.time()
    answer = exchange(server.port, b"POST /detector HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413") and time.time() - started < 2
    # Without a length, the body is read only up to the small limit.
    chunked = b"POST /ingest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + (b"10000\r\n" + b"x" * 65536 + b"\r\n") * 3
    assert exchange(server.port, chunked).startswith(b"HTTP/1.1 413")
    # A request that names a known key with a fresh date may send more (its signature is checked after).
    body = json.dumps({"findingCriteria": {"criterion": {"type": {"eq": ["x" * 300_000]}}}}).encode()
    status, _, text = raw(server, "POST", "/detector/0123/findings", body=body, key=KEY_A, secret=SECRET_A)
    assert status == 400 and "413" not in str(status)


def test_slow_clients_are_cut_off(limited):
    server = limited
    started = time.time()
    # Headers that never end: closed after the idle timeout.
    answer = exchange(server.port, b"GET /console/ HTTP/1.1\r\nHost: x\r\nX-Slow: ", wait=10)
    assert time.time() - started < 6, "a connection stopping mid-headers was kept"
    # A body that trickles: cut off after the body timeout.
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(b"POST /console/session HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nX-Vigil-Console: 1\r\n\r\n")
    started = time.time()
    s.settimeout(1)
    answer = b""
    while time.time() - started < 12:
        try:
            s.sendall(b"x")
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
        except socket.timeout:
            continue
        except OSError:
            break
    s.close()
    assert time.time() - started < 8, "a trickling body was read for ever"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408")
    assert raw(server, "GET", "/console/", signed=False)[0] == 200


def test_one_address_cannot_take_every_connection(limited):
    server = limited
    sockets = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(30)]
    time.sleep(0.5)
    closed = 0
    for s in sockets:
        s.settimeout(0.2)
        try:
            if s.recv(1) == b"":
                closed += 1
        except socket.timeout:
            pass
        except OSError:
            closed += 1
    assert closed >= 10, f"only {closed} of 30 connections beyond the per-address limit were closed"
    for s in sockets:
        s.close()
    time.sleep(0.3)
    assert raw(server, "GET", "/console/", signed=False)[0] == 200


# ---- 7. Console and secrets ------------------------------------------------------------------------

def test_console_secrets_sign_in_throttle_root_and_files(tmp_path):
    credentials = [(KEY_A, SECRET_A, A), (KEY_B, SECRET_B, B)]
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [
        {"accessKeyId": KEY_A, "secretAccessKey": SECRET_A, "accountId": A, "serverAdministrator": True},
        {"accessKeyId": KEY_B, "secretAccessKey": SECRET_B, "accountId": B}],
        "eventDelivery": {"webhooks": [{"url": "https://hooks.example/T0KEN-SECRET", "secret": "s"}], "files": [str(tmp_path / "events.jsonl")]}}))
    os.chmod(config, 0o644)
    server = Server(str(tmp_path / "data"), str(config), ["--no-geoip"], watch=str(tmp_path)).start()
    try:
        import requests
        assert any("can be read by other users" in line for line in server.stderr_lines)
        # The data folder and the store are the server user's alone.
        assert os.stat(tmp_path / "data").st_mode & 0o777 == 0o700
        if STORE == "sqlite":
            assert os.stat(tmp_path / "data" / "vigil.sqlite").st_mode & 0o777 == 0o600
        # The root sends a browser to the console.
        r = requests.get(server.url + "/", allow_redirects=False)
        assert r.status_code == 302 and r.headers["Location"] == "/console/"
        h = {"X-Vigil-Console": "1"}
        def signed_in(key, secret):
            session = requests.Session()
            assert session.post(server.url + "/console/session", json={"accessKeyId": key, "secretAccessKey": secret}, headers=h).status_code == 200
            return session
        tenant = signed_in(KEY_B, SECRET_B).get(server.url + "/console/service", headers=h)
        assert tenant.status_code == 200 and "T0KEN" not in tenant.text and str(tmp_path) not in tenant.text
        admin = signed_in(KEY_A, SECRET_A).get(server.url + "/console/service", headers=h).json()
        assert admin["webhooks"] == ["https://hooks.example/T0KEN-SECRET"] and admin["watch"] == [str(tmp_path)]
        # Sign-in is throttled: after 10 wrong secrets even the right one waits.
        codes = [requests.post(server.url + "/console/session", json={"accessKeyId": KEY_B, "secretAccessKey": f"guess{i}"}, headers=h).status_code
                 for i in range(12)]
        assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
        r = requests.post(server.url + "/console/session", json={"accessKeyId": KEY_B, "secretAccessKey": SECRET_B}, headers=h)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    finally:
        server.stop()


def test_node_names_are_checked_and_need_a_shared_store(tmp_path):
    """--node-id takes a plain name only, and only with a store every node shares (PostgreSQL)."""
    config = write_config(tmp_path / "vigil.json", CREDENTIALS)
    from vigil_client import BINARY
    for bad in ["", "a b", "../n1", "x" * 65, "n1;DROP"]:
        out = subprocess.run([BINARY, "serve", "--port", "0", "--data-dir", str(tmp_path / "d"), "--config", config, "--node-id", bad,
                              "--store", "sqlite:" + str(tmp_path / "s")], capture_output=True, text=True, timeout=60)
        assert out.returncode == 64 and "--node-id" in out.stderr, (bad, out.stderr)
    out = subprocess.run([BINARY, "serve", "--port", "0", "--data-dir", str(tmp_path / "d"), "--config", config, "--node-id", "n1",
                          "--store", "sqlite:" + str(tmp_path / "s")], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "needs a store every node shares" in out.stderr, out.stderr


def test_test_mode_listens_on_loopback_only(tmp_path):
    config = write_config(tmp_path / "vigil.json", CREDENTIALS)
    from vigil_client import BINARY
    out = subprocess.run([BINARY, "serve", "--test-mode", "--host", "0.0.0.0", "--port", "0", "--data-dir", str(tmp_path / "d"),
                          "--config", config], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "loopback" in out.stderr


# ---- The kill -9 campaign --------------------------------------------------------------------------

def test_kill_campaign_loses_and_doubles_no_event(tmp_path):
    """`vigil serve` killed (SIGKILL) at 100 random moments while files in the watched folder grow:
    every root call is counted exactly once in its account's finding, and every complete line's
    bytes exactly once in the usage (VIGIL_KILLS sets the number of kills)."""
    import random
    import threading
    kills = int(os.environ.get("VIGIL_KILLS", "100"))
    rng = random.Random(12)
    watch = tmp_path / "watch"
    accounts = ["111111111111", "222222222222", "333333333333"]
    files = []
    for account in accounts:
        folder = watch / "AWSLogs" / account / "CloudTrail" / "us-east-1" / "2026" / "11" / "30"
        folder.mkdir(parents=True)
        files += [(account, folder / f"{account}_CloudTrail_us-east-1_20261130T{i:02d}00Z_grow.json") for i in range(2)]
    # The appends, decided up front: JSON lines of root calls (each from one of two addresses), an
    # append sometimes ending mid-line (its line completed by the next append to that file).
    expected = {}
    pending = {str(path): "" for _, path in files}
    steps = []
    for step in range(kills * 4):
        account, path = files[rng.randrange(len(files))]
        lines = ""
        for _ in range(rng.randint(1, 12)):
            address = rng.choice(["198.51.100.10", "198.51.100.11"])
            expected[(account, address)] = expected.get((account, address), 0) + 1
            lines += json.dumps({"eventVersion": "1.08", "eventTime": f"2026-11-30T10:{step % 60:02d}:00Z",
                                 "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets", "awsRegion": "us-east-1",
                                 "sourceIPAddress": address, "userAgent": "aws-cli/2.15.0", "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
                                 "eventType": "AwsApiCall", "recipientAccountId": account,
                                 "userIdentity": {"type": "Root", "accountId": account, "principalId": account,
                                                  "arn": f"arn:aws:iam::{account}:root"}}) + "\n"
        text = pending[str(path)] + lines
        cut = len(text) - rng.randint(1, 40) if rng.random() < 0.3 else len(text)
        steps.append((path, text[:cut]))
        pending[str(path)] = text[cut:]
    for path, rest in pending.items():
        if rest:
            steps.append((path, rest))
    complete_bytes = sum(len(text.encode()) for _, text in steps)

    def writer():
        for path, text in steps:
            with open(path, "a") as f:
                f.write(text)
            time.sleep(rng.uniform(0.01, 0.12))
    config = write_config(tmp_path / "vigil.json", [(KEY_A, SECRET_A, a) for a in accounts[:1]])
    data = tmp_path / "data"
    thread = threading.Thread(target=writer)
    thread.start()
    killed = 0
    try:
        while killed < kills:
            server = Server(str(data), config, ["--no-geoip"], watch=str(watch)).start()
            time.sleep(rng.uniform(0.05, 0.5))
            server.stop()  # SIGKILL
            killed += 1
    finally:
        thread.join()
    # The last run reads what is left; every event must be counted exactly once.
    server = Server(str(data), config, ["--no-geoip"], watch=str(watch)).start()
    try:
        def counts():
            got = {}
            for body, in store_rows(data, "SELECT CAST(body AS TEXT) FROM finding WHERE type = 'Policy:IAMUser/RootCredentialUsage'"):
                f = json.loads(body)
                address = f["service"]["action"]["awsApiCallAction"]["remoteIpDetails"]["ipAddressV4"]
                got[(f["accountId"], address)] = f["service"]["count"]
            used = int(store_rows(data, "SELECT COALESCE(SUM(bytes), 0) FROM usage WHERE dataSource = 'CLOUD_TRAIL'")[0][0])
            return got, used
        if not wait_until(lambda: counts() == (expected, complete_bytes), timeout=60):
            got, used = counts()
            wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
            raise AssertionError(f"(found, written) per account and address: {wrong}; bytes {used} of {complete_bytes}")
        time.sleep(1.5)  # and nothing more arrives
        assert counts() == (expected, complete_bytes)
    finally:
        server.stop()
    print(f"\nkill -9 campaign: {killed} kills, {sum(expected.values())} events in {len(steps)} appends to {len(files)} growing files: "
          "none lost, none counted twice")
