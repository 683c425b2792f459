"""Attacks on `vigil serve` by a tenant with a valid key (or a captured request), each held: two
accounts, A and B, share one server; nothing either sends may crash the server, blind the other,
reach the other's data or make the server read or write outside what the operator allowed.

    python3 -m pytest Tests/api/test_trust.py -q
"""
import json
import os
import uuid

import pytest

from vigil_client import Server, raw, wait_until, write_config

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
    server = Server(str(tmp_path / "data"), config, watch=None).start()
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
