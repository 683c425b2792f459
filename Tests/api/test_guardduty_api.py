"""`vigil serve` driven by GuardDuty's own clients: boto3 and the aws CLI, unchanged but for the
endpoint. Starts a real server (the binary in $VIGIL_BINARY, else .build/debug/vigil) watching the
shared sample estate, with a fresh data folder per test module.

    python3 -m pytest Tests/api -q
"""
import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.exceptions
import pytest

from vigil_client import ACCOUNT, BINARY, KEY, ROOT, SAMPLES, SECRET, Server, raw, wait_until


@pytest.fixture(scope="module")
def server():
    tmp = tempfile.mkdtemp(prefix="vigil-api-")
    config = os.path.join(tmp, "vigil.json")
    with open(config, "w") as f:
        json.dump({"apiCredentials": [
            {"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"},
            {"accessKeyId": "AKIAVIGILOTHER000002", "secretAccessKey": "other", "accountId": ACCOUNT}],
            "detection": {"networkBehaviour": {"sshPorts": [22, 902]}}}, f)
    s = Server(os.path.join(tmp, "data"), config, ["--test-mode"]).start()
    yield s
    s.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def wait_for_findings(client, detector, minimum):
    deadline = time.time() + 60
    while time.time() < deadline:
        ids = all_finding_ids(client, detector)
        if len(ids) >= minimum:
            return ids
        time.sleep(0.3)
    raise AssertionError("the watched samples produced no findings")


def all_finding_ids(client, detector, **kwargs):
    ids, token = [], None
    while True:
        args = dict(DetectorId=detector, MaxResults=3, **kwargs)
        if token:
            args["NextToken"] = token
        page = client.list_findings(**args)
        ids += page["FindingIds"]
        token = page.get("NextToken")
        if not token:
            return ids


@pytest.fixture(scope="module")
def detector(server):
    client = server.client()
    return client.create_detector(Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES")["DetectorId"]


def test_detector_lifecycle(server, detector):
    client = server.client()
    assert client.list_detectors()["DetectorIds"] == [detector]
    got = client.get_detector(DetectorId=detector)
    assert got["Status"] == "ENABLED" and got["FindingPublishingFrequency"] == "FIFTEEN_MINUTES"
    assert got["ServiceRole"].endswith("AWSServiceRoleForAmazonGuardDuty")
    # One detector per account and region is GuardDuty's rule, checked without --test-mode
    # (test_moto_suite.py); this server runs in --test-mode, which takes moto's laxer rule.
    client.update_detector(DetectorId=detector, FindingPublishingFrequency="ONE_HOUR")
    assert client.get_detector(DetectorId=detector)["FindingPublishingFrequency"] == "ONE_HOUR"
    # Another region of the same account has its own (none yet); another account cannot see this one.
    assert server.client(region="eu-west-1").list_detectors()["DetectorIds"] == []
    other = server.client(key="AKIAVIGILOTHER000002", secret="other")
    with pytest.raises(other.exceptions.BadRequestException):
        other.get_detector(DetectorId=detector)
    temporary = server.client(region="eu-west-1").create_detector(Enable=False)["DetectorId"]
    server.client(region="eu-west-1").delete_detector(DetectorId=temporary)
    assert server.client(region="eu-west-1").list_detectors()["DetectorIds"] == []


def test_findings_from_watched_logs(server, detector):
    client = server.client()
    ids = wait_for_findings(client, detector, 5)
    assert len(ids) == len(set(ids))
    findings = []
    for i in range(0, len(ids), 50):
        findings += client.get_findings(DetectorId=detector, FindingIds=ids[i:i + 50])["Findings"]
    types = {f["Type"] for f in findings}
    assert {"Recon:EC2/Portscan", "Trojan:EC2/DGADomainRequest.C!DNS", "Trojan:EC2/DNSDataExfiltration",
            "UnauthorizedAccess:EC2/SSHBruteForce", "Stealth:IAMUser/CloudTrailLoggingDisabled"} <= types
    for f in findings:
        assert f["AccountId"] == "123456789012" and f["Region"] == "us-east-1"
        assert f["Service"]["DetectorId"] == detector and f["Service"]["Count"] >= 1


def test_metrics_in_prometheus_format(server, detector, tmp_path):
    """`/metrics` counts what the pipeline read and raised, the outbox and the API's latency by
    operation, in Prometheus's text format — to the operator's networks only."""
    client = server.client()
    wait_for_findings(client, detector, 5)
    client.list_findings(DetectorId=detector)
    text = ""

    def scraped():
        nonlocal text
        with urllib.request.urlopen(server.url + "/metrics", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            text = response.read().decode()
        return 'vigil_outbox_depth' in text
    wait_until(scraped, 10)
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    assert values['vigil_records_total{source="CLOUD_TRAIL"}'] > 0
    assert values['vigil_records_total{source="FLOW_LOGS"}'] > 0
    assert values['vigil_record_bytes_total{source="DNS_LOGS"}'] > 0
    assert values['vigil_findings_total{type="Recon:EC2/Portscan",severity="Medium"}'] >= 1
    assert values["vigil_ingest_lag_seconds_count"] >= 5
    assert values['vigil_api_request_duration_seconds_count{operation="ListFindings"}'] >= 1
    assert "# TYPE vigil_api_request_duration_seconds histogram" in text
    # Outside the operator's networks, /metrics does not exist.
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}],
                                  "metricsNetworks": ["10.0.0.0/8"]}))
    closed = Server(str(tmp_path / "data"), str(config), ["--no-geoip"], watch=str(tmp_path)).start()
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(closed.url + "/metrics", timeout=10)
        assert refused.value.code == 404
    finally:
        closed.stop()


def test_metrics_name_the_rule_whose_searches_gave_up(tmp_path):
    """A user agent built against a rule's backtracking expression: the search stops at its limit
    and counts as no match, and the operator sees which rule in `/metrics` and in the log."""
    rule = tmp_path / "backtracks.yml"
    rule.write_text("title: Backtracking Agent\nid: 5b1d7e2a-2222-4333-8444-955566667777\n"
                    "logsource: {product: aws, service: cloudtrail}\n"
                    "detection:\n  selection:\n    userAgent|re: '^(a+)+$'\n  condition: selection\nlevel: low\n")
    watch = tmp_path / "watch"
    watch.mkdir()
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}]}))
    node = Server(str(tmp_path / "data"), str(config), ["--no-geoip", "--no-rule-pack", "--rules", str(rule)], watch=str(watch)).start()
    try:
        records = [{"eventVersion": "1.09", "eventTime": "2026-11-02T03:00:00Z", "eventSource": "iam.amazonaws.com",
                    "eventName": "ListUsers", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.23",
                    "userAgent": "a" * 40 + "!", "eventID": f"e{i}", "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
                    "userIdentity": {"type": "IAMUser", "principalId": "AIDAMALLORY", "arn": "arn:aws:iam::123456789012:user/mallory",
                                     "accountId": "123456789012", "userName": "mallory"}} for i in range(3)]
        (watch / "trail.json").write_text(json.dumps({"Records": records}))
        metric = 'vigil_rule_searches_given_up_total{rule="sigma:5b1d7e2a-2222-4333-8444-955566667777"} 3'

        def scraped():
            with urllib.request.urlopen(node.url + "/metrics", timeout=10) as response:
                return metric in response.read().decode()
        assert wait_until(scraped, 20), node.log()[-2000:]
        assert wait_until(lambda: "sigma:5b1d7e2a-2222-4333-8444-955566667777: 3 regular-expression searches stopped" in node.log(), 10), node.log()[-2000:]
    finally:
        node.stop()


def test_a_landing_file_is_a_finding_within_a_second(tmp_path):
    """Files landing in a watched folder (moved in whole, as S3 sync and log shippers do) become
    findings in the API within a second — the first after start included — though the server
    polls only every 10 s: inotify tells it. Prints the latencies measured."""
    watch = tmp_path / "watch"
    watch.mkdir()
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}]}))
    server = Server(str(tmp_path / "data"), str(config), ["--poll-interval", "10"], watch=str(watch)).start()
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        time.sleep(1)  # the watcher's first round over the empty folder is done
        latencies = []
        for i in range(10):
            event = {"eventVersion": "1.08", "eventTime": "2023-11-14T22:15:%02dZ" % i, "eventSource": "cloudtrail.amazonaws.com",
                     "eventName": "StopLogging", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.%d" % (i + 1),
                     "userAgent": "aws-cli/2.13.5", "eventID": "latency-%d" % i, "recipientAccountId": "123456789012",
                     "requestParameters": {"name": "trail-%d" % i},
                     "userIdentity": {"type": "IAMUser", "principalId": "AIDALATENCY%d" % i, "arn": "arn:aws:iam::123456789012:user/u%d" % i,
                                      "accountId": "123456789012", "accessKeyId": "AKIALATENCY%05d" % i, "userName": "u%d" % i}}
            folder = watch / "AWSLogs/123456789012/CloudTrail/us-east-1/2023/11/14"
            folder.mkdir(parents=True, exist_ok=True)
            staged = tmp_path / ("staged-%d.json" % i)
            staged.write_text(json.dumps({"Records": [event]}))
            started = time.time()
            os.rename(staged, folder / ("123456789012_CloudTrail_us-east-1_20231114T2215Z_%04d.json" % i))
            while len(client.list_findings(DetectorId=detector)["FindingIds"]) < i + 1:
                assert time.time() - started < 10, "file %d was not analysed within 10 s; the server said:\n%s" % (i, server.log()[-4000:])
                time.sleep(0.01)
            latencies.append(time.time() - started)
        first = latencies[0]
        latencies.sort()
        print("landing-to-finding latency: median %.3f s, max %.3f s, first file %.3f s" % (latencies[5], latencies[-1], first))
        assert latencies[5] < 0.5 and latencies[-1] < 1.5, latencies
    finally:
        server.stop()


def test_finding_criteria_sorting_and_pagination(server, detector):
    client = server.client()
    every = wait_for_findings(client, detector, 5)
    high = all_finding_ids(client, detector, FindingCriteria={"Criterion": {"severity": {"GreaterThanOrEqual": 7}}})
    low = all_finding_ids(client, detector, FindingCriteria={"Criterion": {"severity": {"Lt": 7}}})
    assert sorted(high + low) == sorted(every) and high and low
    trojans = all_finding_ids(client, detector, FindingCriteria={"Criterion": {"type": {"Matches": ["Trojan:*"]}}})
    not_trojans = all_finding_ids(client, detector, FindingCriteria={"Criterion": {"type": {"NotMatches": ["Trojan:*"]}}})
    assert len(trojans) == 3 and sorted(trojans + not_trojans) == sorted(every)
    ssh = client.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {
        "type": {"Equals": ["UnauthorizedAccess:EC2/SSHBruteForce"]}, "service.resourceRole": {"Eq": ["TARGET"]}}})["FindingIds"]
    assert len(ssh) == 1
    by_instance = client.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {
        "resource.instanceDetails.instanceId": {"Equals": ["i-0a1b2c3d4e5f60718"]}, "type": {"NotEquals": ["Recon:EC2/Portscan"]}}})["FindingIds"]
    assert ssh[0] in by_instance
    ascending = client.list_findings(DetectorId=detector, SortCriteria={"AttributeName": "severity", "OrderBy": "ASC"}, MaxResults=50)["FindingIds"]
    severities = [f["Severity"] for f in client.get_findings(DetectorId=detector, FindingIds=ascending,
                                                              SortCriteria={"AttributeName": "severity", "OrderBy": "ASC"})["Findings"]]
    assert severities == sorted(severities)
    with pytest.raises(client.exceptions.BadRequestException):
        client.list_findings(DetectorId=detector, MaxResults=51)
    with pytest.raises(client.exceptions.BadRequestException):
        client.list_findings(DetectorId=detector, NextToken="not-a-token")


def test_archive_unarchive_and_statistics(server, detector):
    client = server.client()
    ids = wait_for_findings(client, detector, 5)
    client.archive_findings(DetectorId=detector, FindingIds=ids[:2])
    archived = all_finding_ids(client, detector, FindingCriteria={"Criterion": {"service.archived": {"Eq": ["true"]}}})
    assert sorted(archived) == sorted(ids[:2])
    current = all_finding_ids(client, detector, FindingCriteria={"Criterion": {"service.archived": {"Eq": ["false"]}}})
    assert len(current) == len(ids) - 2
    client.unarchive_findings(DetectorId=detector, FindingIds=ids[:2])
    assert all_finding_ids(client, detector, FindingCriteria={"Criterion": {"service.archived": {"Eq": ["true"]}}}) == []
    stats = client.get_findings_statistics(DetectorId=detector, FindingStatisticTypes=["COUNT_BY_SEVERITY"])["FindingStatistics"]
    assert sum(stats["CountBySeverity"].values()) == len(ids)
    grouped = client.get_findings_statistics(DetectorId=detector, GroupBy="FINDING_TYPE", OrderBy="DESC")["FindingStatistics"]
    assert sum(g["TotalFindings"] for g in grouped["GroupedByFindingType"]) == len(ids)


def test_feedback_shapes_severity(server, detector):
    client = server.client()
    wait_for_findings(client, detector, 5)
    high = client.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"type": {"Eq": ["Trojan:EC2/DNSDataExfiltration"]}}})["FindingIds"]
    assert len(high) == 1
    def severity(fid):
        return client.get_findings(DetectorId=detector, FindingIds=[fid])["Findings"][0]
    assert severity(high[0])["Severity"] == 8.0
    client.update_findings_feedback(DetectorId=detector, FindingIds=high, Feedback="NOT_USEFUL")
    demoted = severity(high[0])
    assert demoted["Severity"] == 5.0 and demoted["Service"]["UserFeedback"] == "NOT_USEFUL"
    client.update_findings_feedback(DetectorId=detector, FindingIds=high, Feedback="USEFUL")
    assert severity(high[0])["Severity"] == 8.0
    low = client.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"severity": {"Lt": 4}}})["FindingIds"]
    client.update_findings_feedback(DetectorId=detector, FindingIds=low[:1], Feedback="NOT_USEFUL")
    assert severity(low[0])["Service"]["Archived"] is True  # a Low finding judged not useful is archived
    client.unarchive_findings(DetectorId=detector, FindingIds=low[:1])
    with pytest.raises(client.exceptions.BadRequestException):
        client.update_findings_feedback(DetectorId=detector, FindingIds=high, Feedback="MAYBE")


def test_filters_and_suppression_with_sample_findings(server, detector):
    client = server.client()
    criteria = {"Criterion": {"type": {"Eq": ["Backdoor:EC2/C&CActivity.B"]}}}
    assert client.create_filter(DetectorId=detector, Name="quiet-c2", Action="ARCHIVE", Rank=1, FindingCriteria=criteria,
                                Description="known test C2")["Name"] == "quiet-c2"
    client.create_filter(DetectorId=detector, Name="all-high", Action="NOOP", FindingCriteria={"Criterion": {"severity": {"Gte": 7}}})
    assert client.list_filters(DetectorId=detector)["FilterNames"] == ["all-high", "quiet-c2"]
    got = client.get_filter(DetectorId=detector, FilterName="quiet-c2")
    assert got["Action"] == "ARCHIVE" and got["FindingCriteria"] == criteria and got["Description"] == "known test C2"
    with pytest.raises(client.exceptions.BadRequestException):
        client.create_filter(DetectorId=detector, Name="quiet-c2", FindingCriteria=criteria)
    client.create_sample_findings(DetectorId=detector, FindingTypes=["Backdoor:EC2/C&CActivity.B", "Recon:EC2/PortProbeUnprotectedPort"])
    samples = client.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"title": {"Matches": ["[SAMPLE]*"]}}})["FindingIds"]
    found = {f["Type"]: f for f in client.get_findings(DetectorId=detector, FindingIds=samples)["Findings"]}
    assert set(found) == {"Backdoor:EC2/C&CActivity.B", "Recon:EC2/PortProbeUnprotectedPort"}
    assert json.loads(found["Backdoor:EC2/C&CActivity.B"]["Service"]["AdditionalInfo"]["Value"])["sample"] is True
    assert found["Backdoor:EC2/C&CActivity.B"]["Service"]["Archived"] is True  # suppressed as it arrived
    assert found["Recon:EC2/PortProbeUnprotectedPort"]["Service"]["Archived"] is False
    client.update_filter(DetectorId=detector, FilterName="quiet-c2", Action="NOOP", Rank=2)
    assert client.get_filter(DetectorId=detector, FilterName="quiet-c2")["Action"] == "NOOP"
    client.delete_filter(DetectorId=detector, FilterName="quiet-c2")
    client.delete_filter(DetectorId=detector, FilterName="all-high")
    assert client.list_filters(DetectorId=detector)["FilterNames"] == []
    with pytest.raises(client.exceptions.BadRequestException):
        client.get_filter(DetectorId=detector, FilterName="quiet-c2")
    client.archive_findings(DetectorId=detector, FindingIds=samples)
    with pytest.raises(client.exceptions.BadRequestException):
        client.create_sample_findings(DetectorId=detector, FindingTypes=["Not:A/Type"])


def test_usage_statistics_and_tags(server, detector):
    client = server.client()
    wait_for_findings(client, detector, 5)
    by_source = client.get_usage_statistics(DetectorId=detector, UsageStatisticType="SUM_BY_DATA_SOURCE",
                                            UsageCriteria={"DataSources": ["FLOW_LOGS", "CLOUD_TRAIL", "DNS_LOGS"]})["UsageStatistics"]["SumByDataSource"]
    volume = {u["DataSource"]: int(u["Total"]["Amount"]) for u in by_source}
    assert set(volume) == {"FLOW_LOGS", "CLOUD_TRAIL", "DNS_LOGS"} and all(v > 0 for v in volume.values())
    assert all(u["Total"]["Unit"] == "bytes" for u in by_source)
    by_account = client.get_usage_statistics(DetectorId=detector, UsageStatisticType="SUM_BY_ACCOUNT",
                                             UsageCriteria={"AccountIds": ["123456789012"]})["UsageStatistics"]["SumByAccount"]
    assert [u["AccountId"] for u in by_account] == ["123456789012"]
    assert int(by_account[0]["Total"]["Amount"]) == sum(volume.values())
    by_resource = client.get_usage_statistics(DetectorId=detector, UsageStatisticType="SUM_BY_RESOURCE",
                                              UsageCriteria={"DataSources": ["FLOW_LOGS"]})["UsageStatistics"]["SumByResource"]
    assert by_resource and all(r["Resource"].startswith("fl-") for r in by_resource)
    assert sum(int(r["Total"]["Amount"]) for r in by_resource) == volume["FLOW_LOGS"]
    top = client.get_usage_statistics(DetectorId=detector, UsageStatisticType="TOP_RESOURCES", UsageCriteria={}, MaxResults=1)["UsageStatistics"]["TopResources"]
    assert len(top) == 1 and int(top[0]["Total"]["Amount"]) == max(int(r["Total"]["Amount"]) for r in by_resource + [top[0]])
    arn = f"arn:aws:guardduty:us-east-1:123456789012:detector/{detector}"
    client.tag_resource(ResourceArn=arn, Tags={"team": "security", "env": "test"})
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "security", "env": "test"}
    client.untag_resource(ResourceArn=arn, TagKeys=["env"])
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "security"}
    assert client.get_detector(DetectorId=detector)["Tags"] == {"team": "security"}
    with pytest.raises(client.exceptions.BadRequestException):
        client.list_tags_for_resource(ResourceArn="arn:aws:guardduty:us-east-1:111122223333:detector/" + detector)


def test_http_ingest(server, detector):
    import gzip as gz
    client = server.client()
    trail = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(SAMPLES, "cloudtrail")) for f in fs if f.endswith(".json.gz")][0]
    body = gz.open(trail).read()
    # The watcher has already read these events from the sample: they raise nothing again.
    status, headers, text = raw(server, "POST", "/ingest", body=body)
    assert status == 200, text
    answer = json.loads(text)
    assert answer["records"] == 3 and answer["badRecords"] == 0 and answer["duplicateEvents"] == 3 and answer["findings"] == []
    # The same activity as new events (new event IDs) is analysed and its findings are listed.
    fresh = re.sub(rb'"eventID":\s*"[^"]+"', lambda m: b'"eventID":"%s"' % hashlib.md5(m.group(0)).hexdigest().encode(), body)
    status, headers, text = raw(server, "POST", "/ingest", body=fresh)
    answer = json.loads(text)
    assert status == 200 and answer["records"] == 3 and answer["duplicateEvents"] == 0 and answer["findings"], text
    got = client.get_findings(DetectorId=detector, FindingIds=answer["findings"])["Findings"]
    assert "Stealth:IAMUser/CloudTrailLoggingDisabled" in {f["Type"] for f in got}
    assert all(f["Service"]["Count"] >= 2 for f in got)  # the watcher's sighting and this one
    # Flow-log lines with a bad record among them: the rest is analysed, the bad one reported.
    flows = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(SAMPLES, "zeek_portscan")) for f in fs if f.endswith(".log.gz")][0]
    lines = gz.open(flows).read().decode().splitlines()
    body = "\n".join(lines[:40] + ["5 123456789012 this is not a flow record"] + lines[40:]).encode() + b"\n"
    status, headers, text = raw(server, "POST", "/ingest", body=body)
    answer = json.loads(text)
    assert status == 200 and answer["badRecords"] == 1 and "line 41" in answer["problems"][0]
    status, headers, text = raw(server, "POST", "/ingest", body=b"hello, not a log")
    assert status == 400 and headers["X-Amzn-ErrorType"] == "BadRequestException"
    req = urllib.request.Request(server.url + "/ingest", method="POST", data=body)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 403  # unsigned


def test_administrator_sees_enabled_members_findings(server, detector):
    member = server.client()  # 123456789012: the account whose logs are watched
    admin = server.client(key="AKIAVIGILOTHER000002", secret="other")  # 111122223333
    own = wait_for_findings(member, detector, 5)
    admin_detector = admin.create_detector(Enable=True)["DetectorId"]
    assert admin.list_findings(DetectorId=admin_detector)["FindingIds"] == []
    created = admin.create_members(DetectorId=admin_detector, AccountDetails=[
        {"AccountId": "123456789012", "Email": "security@example.com"}, {"AccountId": "12345678901x", "Email": "x@example.com"}])
    assert [u["AccountId"] for u in created["UnprocessedAccounts"]] == ["12345678901x"]
    assert admin.list_members(DetectorId=admin_detector)["Members"] == []  # only associated ones by default
    assert admin.list_members(DetectorId=admin_detector, OnlyAssociated="false")["Members"][0]["RelationshipStatus"] == "Created"
    admin.invite_members(DetectorId=admin_detector, AccountIds=["123456789012"], Message="join us")
    assert member.get_invitations_count()["InvitationsCount"] == 1
    invitation = member.list_invitations()["Invitations"][0]
    assert invitation["AccountId"] == "111122223333" and invitation["RelationshipStatus"] == "Invited"
    with pytest.raises(member.exceptions.BadRequestException):
        member.accept_administrator_invitation(DetectorId=detector, AdministratorId="111122223333", InvitationId="wrong")
    member.accept_administrator_invitation(DetectorId=detector, AdministratorId="111122223333", InvitationId=invitation["InvitationId"])
    assert member.get_administrator_account(DetectorId=detector)["Administrator"]["RelationshipStatus"] == "Enabled"
    members = admin.list_members(DetectorId=admin_detector)["Members"]
    assert [(m["AccountId"], m["RelationshipStatus"], m["DetectorId"]) for m in members] == [("123456789012", "Enabled", detector)]
    seen = all_finding_ids(admin, admin_detector)
    assert sorted(seen) == sorted(own)
    assert {f["AccountId"] for f in admin.get_findings(DetectorId=admin_detector, FindingIds=seen[:10])["Findings"]} == {"123456789012"}
    grouped = admin.get_findings_statistics(DetectorId=admin_detector, GroupBy="ACCOUNT")["FindingStatistics"]["GroupedByAccount"]
    assert [(g["AccountId"], g["TotalFindings"]) for g in grouped] == [("123456789012", len(own))]
    admin.stop_monitoring_members(DetectorId=admin_detector, AccountIds=["123456789012"])
    assert admin.list_findings(DetectorId=admin_detector)["FindingIds"] == []
    admin.start_monitoring_members(DetectorId=admin_detector, AccountIds=["123456789012"])
    assert sorted(all_finding_ids(admin, admin_detector)) == sorted(own)
    assert member.get_master_account(DetectorId=detector)["Master"]["AccountId"] == "111122223333"  # the deprecated form
    got = admin.get_members(DetectorId=admin_detector, AccountIds=["123456789012", "999999999999"])
    assert len(got["Members"]) == 1 and got["UnprocessedAccounts"][0]["AccountId"] == "999999999999"
    member.disassociate_from_administrator_account(DetectorId=detector)
    assert admin.list_findings(DetectorId=admin_detector)["FindingIds"] == []
    admin.delete_members(DetectorId=admin_detector, AccountIds=["123456789012"])
    assert admin.list_members(DetectorId=admin_detector, OnlyAssociated="false")["Members"] == []
    admin.delete_detector(DetectorId=admin_detector)


def test_signature_refusals(server, detector):
    wrong = server.client(secret="not-the-secret")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        wrong.list_detectors()
    assert e.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    unknown = server.client(key="AKIANOBODY0000000000")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        unknown.list_detectors()
    assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"
    status, headers, body = raw(server, "GET", "/detector")
    assert status == 403 and headers["X-Amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert json.loads(body)["message"] == "Missing Authentication Token"
    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    status, headers, body = raw(server, "GET", "/detector", sign_at=old)
    assert status == 403 and "Signature expired" in json.loads(body)["message"]
    # A signature for another service does not pass either.
    status, headers, body = raw(server, "GET", "/detector", service="s3")
    assert status == 403


def test_malformed_requests_never_crash(server, detector):
    for method, path, body in [
        ("POST", f"/detector/{detector}/findings", b"{not json"),
        ("POST", f"/detector/{detector}/findings", b'{"findingCriteria": 7}'),
        ("POST", f"/detector/{detector}/findings", b'{"findingCriteria": {"criterion": {"severity": {"gt": "high"}}}}'),
        ("POST", f"/detector/{detector}/findings/get", b'{"findingIds": 12}'),
        ("POST", f"/detector/{detector}/findings/archive", b"[]"),
        ("POST", "/detector", b'{"enable": "yes"}'),
        ("POST", f"/detector/{detector}/findings/statistics", b'{"groupBy": "PLANET"}'),
        ("POST", f"/detector/{detector}/findings", bytes(range(256)) * 10),
        ("DELETE", "/detector/../../etc/passwd", b""),
        ("GET", "/nothing/here", b""),
    ]:
        status, headers, text = raw(server, method, path, body=body)
        assert 400 <= status < 500, (path, body[:40], status, text)
        assert "X-Amzn-ErrorType" in headers and "message" in json.loads(text)
    # The server is still answering.
    assert server.client().list_detectors()["DetectorIds"] == [detector]


def test_aws_cli(server, detector):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION="us-east-1")
    out = subprocess.run(["aws", "guardduty", "list-detectors", "--endpoint-url", server.url, "--output", "json"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["DetectorIds"] == [detector]
    out = subprocess.run(["aws", "guardduty", "list-findings", "--detector-id", detector, "--endpoint-url", server.url,
                          "--finding-criteria", '{"Criterion": {"type": {"Eq": ["Recon:EC2/Portscan"]}}}', "--output", "json"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["FindingIds"]) == 1
    # The service-specific endpoint variable works as well as --endpoint-url.
    out = subprocess.run(["aws", "guardduty", "get-detector", "--detector-id", detector, "--output", "json"],
                         env=dict(env, AWS_ENDPOINT_URL_GUARDDUTY=server.url), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["Status"] == "ENABLED"
    bad = dict(env, AWS_SECRET_ACCESS_KEY="wrong")
    out = subprocess.run(["aws", "guardduty", "list-detectors", "--endpoint-url", server.url], env=bad,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "InvalidSignatureException" in out.stderr


def test_restart_keeps_detectors_findings_and_checkpoints(tmp_path):
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}]}))
    first = Server(str(tmp_path / "data"), str(config)).start()
    client = first.client()
    detector = client.create_detector(Enable=True)["DetectorId"]
    ids = wait_for_findings(client, detector, 5)
    time.sleep(1.5)  # let the watcher finish every file
    before = {f["Id"]: f["Service"]["Count"] for f in client.get_findings(DetectorId=detector, FindingIds=ids[:50])["Findings"]}
    client.archive_findings(DetectorId=detector, FindingIds=ids[:1])
    # The account's own folder of lists, the default place lists may be read from.
    own = tmp_path / "data" / "lists" / "123456789012"
    own.mkdir(parents=True)
    trusted = own / "trusted.txt"
    trusted.write_text("203.0.113.200\n")
    ip_set = client.create_ip_set(DetectorId=detector, Name="office", Format="TXT", Location=str(trusted), Activate=True)["IpSetId"]
    assert wait_until(lambda: client.get_ip_set(DetectorId=detector, IpSetId=ip_set)["Status"] == "ACTIVE")
    first.stop()  # SIGKILL
    second = Server(str(tmp_path / "data"), str(config)).start()
    try:
        client = second.client()
        assert client.list_detectors()["DetectorIds"] == [detector]
        time.sleep(1.5)  # the watcher looks again: nothing is new
        after = {f["Id"]: f["Service"]["Count"] for f in client.get_findings(DetectorId=detector, FindingIds=ids[:50])["Findings"]}
        assert after == before  # nothing skipped, nothing counted twice
        assert all_finding_ids(client, detector, FindingCriteria={"Criterion": {"service.archived": {"Eq": ["true"]}}}) == ids[:1]
        assert client.get_ip_set(DetectorId=detector, IpSetId=ip_set)["Status"] == "ACTIVE"  # lists survive too
    finally:
        second.stop()


def test_threat_and_trusted_lists_take_effect_on_new_logs(tmp_path):
    import http.server
    import threading
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "scanner.txt").write_text("# the host the sample scans\n45.33.32.156\n")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(lists), **k)
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    watch = tmp_path / "watch"
    watch.mkdir()
    config = tmp_path / "vigil.json"
    # The operator allows the lists folder and the (loopback) list server.
    prefix = f"http://127.0.0.1:{web.server_address[1]}/"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}],
                                  "listLocations": [str(lists), prefix], "listPrivateNetworks": ["127.0.0.1/32"]}))
    server = Server(str(tmp_path / "data"), str(config), watch=str(watch)).start()
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        url = prefix + "scanner.txt"
        set_id = client.create_threat_intel_set(DetectorId=detector, Name="scanners", Format="TXT", Location=url, Activate=True)["ThreatIntelSetId"]
        assert client.get_threat_intel_set(DetectorId=detector, ThreatIntelSetId=set_id)["Status"] in ("ACTIVATING", "ACTIVE")
        assert wait_until(lambda: client.get_threat_intel_set(DetectorId=detector, ThreatIntelSetId=set_id)["Status"] == "ACTIVE")
        assert client.list_threat_intel_sets(DetectorId=detector)["ThreatIntelSetIds"] == [set_id]
        sample = os.path.join(SAMPLES, "zeek_portscan")
        flow_log = [os.path.join(d, f) for d, _, fs in os.walk(sample) for f in fs if f.endswith(".log.gz")][0]
        shutil.copy(flow_log, watch / "one.log.gz")
        custom = {"Criterion": {"type": {"Eq": ["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"]}}}
        deadline = time.time() + 30
        ids = []
        while time.time() < deadline and not ids:
            ids = client.list_findings(DetectorId=detector, FindingCriteria=custom)["FindingIds"]
            time.sleep(0.2)
        assert len(ids) == 1
        finding = client.get_findings(DetectorId=detector, FindingIds=ids)["Findings"][0]
        assert finding["Service"]["Evidence"]["ThreatIntelligenceDetails"][0]["ThreatListName"] == "scanners"
        count = finding["Service"]["Count"]
        # The same host on a trusted list (an IPSet from a file path): new logs raise nothing for it.
        ip_set = client.create_ip_set(DetectorId=detector, Name="lab", Format="TXT", Location=str(lists / "scanner.txt"), Activate=True)["IpSetId"]
        assert wait_until(lambda: client.get_ip_set(DetectorId=detector, IpSetId=ip_set)["Status"] == "ACTIVE")
        shutil.copy(flow_log, watch / "two.log.gz")
        time.sleep(2)
        assert client.get_findings(DetectorId=detector, FindingIds=ids)["Findings"][0]["Service"]["Count"] == count
        # A list that cannot be fetched is in ERROR, with the reason for entity sets.
        bad = client.create_threat_entity_set(DetectorId=detector, Name="gone", Format="TXT", Activate=True,
                                              Location=f"http://127.0.0.1:{web.server_address[1]}/missing.txt")["ThreatEntitySetId"]
        got = wait_until(lambda: (lambda g: g if g["Status"] == "ERROR" else None)(
            client.get_threat_entity_set(DetectorId=detector, ThreatEntitySetId=bad)))
        assert got and "404" in got["ErrorDetails"]
        client.update_ip_set(DetectorId=detector, IpSetId=ip_set, Activate=False)
        assert client.get_ip_set(DetectorId=detector, IpSetId=ip_set)["Status"] == "INACTIVE"
        trusted = client.create_trusted_entity_set(DetectorId=detector, Name="lab2", Format="TXT", Activate=False,
                                                   Location=str(lists / "scanner.txt"))["TrustedEntitySetId"]
        assert client.list_trusted_entity_sets(DetectorId=detector)["TrustedEntitySetIds"] == [trusted]
        for delete, key, value in [(client.delete_ip_set, "IpSetId", ip_set), (client.delete_threat_intel_set, "ThreatIntelSetId", set_id),
                                   (client.delete_threat_entity_set, "ThreatEntitySetId", bad),
                                   (client.delete_trusted_entity_set, "TrustedEntitySetId", trusted)]:
            delete(DetectorId=detector, **{key: value})
        assert client.list_ip_sets(DetectorId=detector)["IpSetIds"] == []
        with pytest.raises(client.exceptions.BadRequestException):
            client.create_ip_set(DetectorId=detector, Name="x", Format="XML", Location="/tmp/x", Activate=True)
    finally:
        server.stop()
        web.shutdown()


def test_events_reach_a_webhook_after_an_outage_and_a_file(tmp_path):
    import http.server
    import socket
    import threading
    with socket.socket() as s:  # a port nobody listens on yet: the receiver is down
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append((dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    watch = tmp_path / "watch"
    watch.mkdir()
    events_file = tmp_path / "events" / "findings.jsonl"
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({
        "apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}],
        "eventDelivery": {"webhooks": [{"url": f"http://127.0.0.1:{port}/hook", "secret": "hook-secret"}],
                          "files": [str(events_file)], "maxBackoffSeconds": 1}}))
    server = Server(str(tmp_path / "data"), str(config), watch=str(watch)).start()
    receiver = None
    try:
        client = server.client()
        detector = client.create_detector(Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES")["DetectorId"]
        destination = client.create_publishing_destination(DetectorId=detector, DestinationType="S3", DestinationProperties={
            "DestinationArn": "arn:aws:s3:::findings-bucket/guardduty", "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/1"})["DestinationId"]
        described = client.describe_publishing_destination(DetectorId=detector, DestinationId=destination)
        assert described["Status"] == "PUBLISHING" and described["DestinationProperties"]["DestinationArn"].endswith("findings-bucket/guardduty")
        assert [d["DestinationId"] for d in client.list_publishing_destinations(DetectorId=detector)["Destinations"]] == [destination]
        with pytest.raises(client.exceptions.BadRequestException):
            client.create_publishing_destination(DetectorId=detector, DestinationType="S3", DestinationProperties={"DestinationArn": "not-an-arn"})
        for sample in ["r53", "zeek_portscan"]:
            for d, _, fs in os.walk(os.path.join(SAMPLES, sample)):
                for f in fs:
                    if f.endswith(".log.gz"):
                        shutil.copy(os.path.join(d, f), watch / f)
        ids = wait_for_findings(client, detector, 4)
        time.sleep(3)  # deliveries fail and back off while the receiver is down
        assert received == []
        receiver = http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        deadline = time.time() + 30
        while time.time() < deadline and len(received) < len(ids):
            time.sleep(0.2)
        assert len(received) == len(ids)
        seen = set()
        for headers, body in received:
            expected = "sha256=" + hmac.new(b"hook-secret", f"{headers['X-Vigil-Timestamp']}.{body}".encode(), hashlib.sha256).hexdigest()
            assert headers["X-Vigil-Signature"] == expected
            event = json.loads(body)
            assert event["version"] == "0" and event["detail-type"] == "GuardDuty Finding" and event["source"] == "aws.guardduty"
            assert event["account"] == "123456789012" and event["region"] == "us-east-1"
            seen.add(event["detail"]["id"])
        assert seen == set(ids)
        lines = events_file.read_text().splitlines()
        assert {json.loads(line)["detail"]["id"] for line in lines} == set(ids)
        # The publishing destination got the findings in GuardDuty's export layout.
        exported = list((tmp_path / "data" / "exports" / "123456789012" / "findings-bucket" / "guardduty" / "AWSLogs" / "123456789012" / "GuardDuty" / "us-east-1").rglob("findings.jsonl"))
        assert len(exported) == 1
        assert {json.loads(line)["id"] for line in exported[0].read_text().splitlines()} == set(ids)
        # The same activity again: the findings are updated, and with FIFTEEN_MINUTES the updates wait.
        for f in list(watch.iterdir()):
            shutil.copy(f, watch / ("again-" + f.name))
        time.sleep(2)
        assert len(received) == len(ids)
        client.update_publishing_destination(DetectorId=detector, DestinationId=destination,
                                             DestinationProperties={"DestinationArn": "arn:aws:s3:::other-bucket"})
        assert client.describe_publishing_destination(DetectorId=detector, DestinationId=destination)["DestinationProperties"]["DestinationArn"] == "arn:aws:s3:::other-bucket"
        client.delete_publishing_destination(DetectorId=detector, DestinationId=destination)
        assert client.list_publishing_destinations(DetectorId=detector)["Destinations"] == []
    finally:
        server.stop()
        if receiver:
            receiver.shutdown()


def test_growing_files_are_read_from_where_they_stopped(tmp_path):
    watch = tmp_path / "watch"
    flows_dir = watch / "AWSLogs" / "123456789012" / "vpcflowlogs" / "us-east-1"
    dns_dir = watch / "AWSLogs" / "123456789012" / "vpcdnsquerylogs" / "vpc-1"
    flows_dir.mkdir(parents=True)
    dns_dir.mkdir(parents=True)
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}]}))
    server = Server(str(tmp_path / "data"), str(config), watch=str(watch)).start()

    def attempt(i):
        return f"2 123456789012 eni-1 198.51.100.3 10.0.0.6 {50000 + i} 22 6 3 180 {1700000000 + i} {1700000010 + i} REJECT OK\n"

    def rebind(i):
        return json.dumps({"version": "1.100000", "account_id": "123456789012", "region": "us-east-1", "vpc_id": "vpc-1",
                           "query_timestamp": f"2023-11-14T22:15:{i:02d}Z", "query_name": "rebind.attacker.example.", "query_type": "A",
                           "query_class": "IN", "rcode": "NOERROR", "answers": [{"Rdata": "169.254.169.254", "Type": "A", "Class": "IN"}],
                           "srcaddr": "10.0.1.60", "srcport": "5353", "transport": "UDP", "srcids": {"instance": "i-0web"}}) + "\n"
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        flows = flows_dir / "grow.log"
        flows.write_text("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
                         + "".join(attempt(i) for i in range(12)))
        dns = dns_dir / "grow.log"
        dns.write_text(rebind(0) + rebind(1))
        time.sleep(1.5)
        brute = {"Criterion": {"type": {"Eq": ["UnauthorizedAccess:EC2/SSHBruteForce"]}}}
        assert client.list_findings(DetectorId=detector, FindingCriteria=brute)["FindingIds"] == []  # 12 of 20
        with flows.open("a") as f:
            f.write("".join(attempt(i) for i in range(12, 24)))
        partial = rebind(5)
        with dns.open("a") as f:
            f.write(rebind(2) + rebind(3) + rebind(4) + partial[:30])  # the last line is not finished yet
        deadline = time.time() + 20
        found = []
        while time.time() < deadline and not found:
            found = client.list_findings(DetectorId=detector, FindingCriteria=brute)["FindingIds"]
            time.sleep(0.2)
        assert len(found) == 1  # the attempts add up across the two reads
        with dns.open("a") as f:
            f.write(partial[30:])
        time.sleep(1.5)
        rebinds = client.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"type": {"Eq": ["UnauthorizedAccess:EC2/MetadataDNSRebind"]}}})["FindingIds"]
        assert client.get_findings(DetectorId=detector, FindingIds=rebinds)["Findings"][0]["Service"]["Count"] == 6  # each line once
    finally:
        server.stop()


def test_kill_mid_file_loses_and_doubles_nothing(tmp_path):
    # A file big enough that the watcher is still reading it when the process is killed.
    header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
    # 100 attackers, 2,000 SSH attempts each, over an hour: a brute-force finding per attacker,
    # counted once per 5-minute window.
    lines = [f"2 123456789012 eni-1 198.51.100.{i % 100} 10.0.0.6 {40000 + i % 20000} 22 6 3 180 {1700000000 + i // 50} {1700000010 + i // 50} REJECT OK\n"
             for i in range(200_000)]
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}]}))

    def settled_counts(data_dir, watch, kill_after=None):
        server = Server(str(data_dir), str(config), watch=str(watch)).start()
        try:
            if kill_after is not None:
                time.sleep(kill_after)
                server.stop()  # SIGKILL, most likely mid-file
                server = Server(str(data_dir), str(config), watch=str(watch)).start()
            client = server.client()
            detector = (client.list_detectors()["DetectorIds"] or [client.create_detector(Enable=True)["DetectorId"]])[0]
            previous, stable = None, 0
            deadline = time.time() + 60
            while time.time() < deadline and stable < 3:
                ids = all_finding_ids(client, detector)
                counts = {f["Id"]: f["Service"]["Count"] for i in range(0, len(ids), 50)
                          for f in client.get_findings(DetectorId=detector, FindingIds=ids[i:i + 50])["Findings"]}
                stable = stable + 1 if counts and counts == previous else 0
                previous = counts
                time.sleep(0.5)
            return previous
        finally:
            server.stop()

    for name in ["clean", "killed"]:
        folder = tmp_path / name / "AWSLogs" / "123456789012" / "vpcflowlogs" / "us-east-1"
        folder.mkdir(parents=True)
        (folder / "big.log").write_text(header + "".join(lines))
    clean = settled_counts(tmp_path / "clean-data", tmp_path / "clean")
    killed = settled_counts(tmp_path / "killed-data", tmp_path / "killed", kill_after=0.4)
    assert len(clean) == 100 and sum(clean.values()) > 100
    assert killed == clean


@pytest.mark.parametrize("interval, ending", [("0", "kill"), ("3600", "terminate")])
def test_learned_baselines_survive_a_restart(tmp_path, interval, ending):
    """Eight days of a simulated account are learned by one server, which is then killed (saving
    its learned state with every commit) or stopped with SIGTERM (saving it once an hour, and a last
    time as it shuts down gracefully); a second server on the same store reads the next days and
    finds the stolen key's anomalies. A server that never learned the first days, reading the same
    later days, finds none of them."""
    estate = tmp_path / "estate"
    subprocess.run([BINARY, "simulate", "--output", str(estate), "--days", "10", "--accounts", "1"], check=True,
                   capture_output=True)
    learning, later = tmp_path / "learning", tmp_path / "later"
    for path in sorted(estate.rglob("*.*")):
        if path.name == "attacks.json":
            continue
        day = int(path.relative_to(estate).parts[-2])  # …/yyyy/mm/dd/file
        target = (learning if day <= 8 else later) / path.relative_to(estate)
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "111111111111"}]}))

    def settle(server):
        client = server.client()
        detector = (client.list_detectors()["DetectorIds"] or [client.create_detector(Enable=True)["DetectorId"]])[0]
        previous, stable, deadline = None, 0, time.time() + 120
        while time.time() < deadline and stable < 3:
            usage = client.get_usage_statistics(DetectorId=detector, UsageStatisticType="SUM_BY_DATA_SOURCE",
                                                UsageCriteria={"DataSources": ["CLOUD_TRAIL", "FLOW_LOGS", "DNS_LOGS"]})
            totals = json.dumps(usage["UsageStatistics"], sort_keys=True)
            stable = stable + 1 if totals == previous and "Amount" in totals else 0
            previous = totals
            time.sleep(0.5)
        ids = all_finding_ids(client, detector)
        return {f["Type"] for i in range(0, len(ids), 50) for f in client.get_findings(DetectorId=detector, FindingIds=ids[i:i + 50])["Findings"]}

    first = Server(str(tmp_path / "data"), str(config), ["--learned-state-interval", interval, "--no-geoip"], watch=str(learning)).start()
    try:
        assert not any(t.endswith("IAMUser/AnomalousBehavior") and not t.startswith("CredentialAccess") for t in settle(first))
    finally:
        if ending == "kill":
            first.stop()  # SIGKILL: what was learned must already be in the store
        else:
            assert first.terminate() == 0  # a graceful shutdown saves what was learned last
    second = Server(str(tmp_path / "data"), str(config), ["--no-geoip"], watch=str(later)).start()
    try:
        types = settle(second)
    finally:
        second.stop()
    assert {"Persistence:IAMUser/AnomalousBehavior", "PrivilegeEscalation:IAMUser/AnomalousBehavior"} <= types
    if ending != "kill":
        return
    fresh = Server(str(tmp_path / "fresh"), str(config), ["--no-geoip"], watch=str(later)).start()
    try:
        naive = settle(fresh)
    finally:
        fresh.stop()
    assert "Persistence:IAMUser/AnomalousBehavior" not in naive and "PrivilegeEscalation:IAMUser/AnomalousBehavior" not in naive


def test_aws_cli_drives_every_operation_family(server, detector):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION="us-east-1",
               AWS_ENDPOINT_URL_GUARDDUTY=server.url)
    other = dict(env, AWS_ACCESS_KEY_ID="AKIAVIGILOTHER000002", AWS_SECRET_ACCESS_KEY="other")

    def cli(*args, environment=env):
        out = subprocess.run(["aws", "guardduty", *args, "--output", "json"], env=environment, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, (args, out.stderr)
        return json.loads(out.stdout) if out.stdout.strip() else {}

    d = ["--detector-id", detector]
    cli("update-detector", *d, "--finding-publishing-frequency", "SIX_HOURS")
    assert cli("get-detector", *d)["FindingPublishingFrequency"] == "SIX_HOURS"
    ids = wait_for_findings(server.client(), detector, 5)
    assert sorted(cli("list-findings", *d, "--max-items", "100")["FindingIds"]) == sorted(ids)
    assert len(cli("get-findings", *d, "--finding-ids", *ids[:3])["Findings"]) == 3
    cli("archive-findings", *d, "--finding-ids", ids[0])
    cli("unarchive-findings", *d, "--finding-ids", ids[0])
    cli("update-findings-feedback", *d, "--finding-ids", ids[0], "--feedback", "USEFUL")
    assert sum(cli("get-findings-statistics", *d, "--finding-statistic-types", "COUNT_BY_SEVERITY")["FindingStatistics"]["CountBySeverity"].values()) >= len(ids)
    cli("create-sample-findings", *d, "--finding-types", "Recon:EC2/Portscan")
    cli("create-filter", *d, "--name", "cli-filter", "--action", "NOOP", "--finding-criteria", '{"Criterion": {"severity": {"Gte": 7}}}')
    assert cli("list-filters", *d)["FilterNames"] == ["cli-filter"]
    cli("update-filter", *d, "--filter-name", "cli-filter", "--rank", "3")
    assert cli("get-filter", *d, "--filter-name", "cli-filter")["Rank"] == 3
    cli("delete-filter", *d, "--filter-name", "cli-filter")
    own = os.path.join(server.data_dir, "lists", "123456789012")
    os.makedirs(own, exist_ok=True)
    listfile = os.path.join(own, "list.txt")
    with open(listfile, "w") as f:
        f.write("203.0.113.77\n")
    ipset = cli("create-ip-set", *d, "--name", "cli", "--format", "TXT", "--location", listfile, "--activate")["IpSetId"]
    assert wait_until(lambda: cli("get-ip-set", *d, "--ip-set-id", ipset)["Status"] == "ACTIVE")
    assert cli("list-ip-sets", *d)["IpSetIds"] == [ipset]
    cli("update-ip-set", *d, "--ip-set-id", ipset, "--no-activate")
    cli("delete-ip-set", *d, "--ip-set-id", ipset)
    tis = cli("create-threat-intel-set", *d, "--name", "cli", "--format", "TXT", "--location", listfile, "--activate")["ThreatIntelSetId"]
    assert cli("list-threat-intel-sets", *d)["ThreatIntelSetIds"] == [tis]
    cli("delete-threat-intel-set", *d, "--threat-intel-set-id", tis)
    usage = cli("get-usage-statistics", *d, "--usage-statistic-type", "SUM_BY_DATA_SOURCE", "--usage-criteria", '{"DataSources": ["FLOW_LOGS"]}')
    assert int(usage["UsageStatistics"]["SumByDataSource"][0]["Total"]["Amount"]) > 0
    arn = f"arn:aws:guardduty:us-east-1:123456789012:detector/{detector}"
    cli("tag-resource", "--resource-arn", arn, "--tags", "cli=yes")
    assert cli("list-tags-for-resource", "--resource-arn", arn)["Tags"]["cli"] == "yes"
    cli("untag-resource", "--resource-arn", arn, "--tag-keys", "cli")
    dest = cli("create-publishing-destination", *d, "--destination-type", "S3", "--destination-properties",
               "DestinationArn=arn:aws:s3:::cli-bucket,KmsKeyArn=arn:aws:kms:us-east-1:123456789012:key/1")["DestinationId"]
    assert cli("describe-publishing-destination", *d, "--destination-id", dest)["Status"] == "PUBLISHING"
    cli("delete-publishing-destination", *d, "--destination-id", dest)
    admin_detector = cli("create-detector", "--enable", environment=other)["DetectorId"]
    cli("create-members", "--detector-id", admin_detector, "--account-details", "AccountId=123456789012,Email=sec@example.com", environment=other)
    cli("invite-members", "--detector-id", admin_detector, "--account-ids", "123456789012", environment=other)
    invitation = cli("list-invitations")["Invitations"][0]
    cli("accept-administrator-invitation", *d, "--administrator-id", invitation["AccountId"], "--invitation-id", invitation["InvitationId"])
    assert cli("get-administrator-account", *d)["Administrator"]["RelationshipStatus"] == "Enabled"
    assert cli("list-members", "--detector-id", admin_detector, environment=other)["Members"][0]["RelationshipStatus"] == "Enabled"
    cli("disassociate-from-administrator-account", *d)
    cli("delete-members", "--detector-id", admin_detector, "--account-ids", "123456789012", environment=other)
    cli("delete-detector", "--detector-id", admin_detector, environment=other)


def test_every_finding_served_matches_botocores_shape(server, detector, tmp_path):
    # All 72 sample types plus the findings of the watched samples, as GetFindings' wire JSON.
    client = server.client()
    wait_for_findings(client, detector, 5)
    client.create_sample_findings(DetectorId=detector)
    ids = all_finding_ids(client, detector)
    assert len(ids) >= 72
    files = []
    for i in range(0, len(ids), 50):
        status, _, text = raw(server, "POST", f"/detector/{detector}/findings/get", body=json.dumps({"findingIds": ids[i:i + 50]}).encode())
        assert status == 200
        path = tmp_path / f"findings-{i}.json"
        path.write_text(text)
        files.append(str(path))
    validator = os.path.join(ROOT, "Tests", "compat", "validate_finding_shape.py")
    out = subprocess.run([sys.executable, validator, *files], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_moto_reset(server):
    # Runs last in this module (pytest keeps file order): wipes the state.
    client = server.client()
    req = urllib.request.Request(server.url + "/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(req) as response:
        assert response.status == 200
    assert client.list_detectors()["DetectorIds"] == []
    moto = server.client(key="FOOBARKEY", secret="FOOBARSECRET")
    assert moto.create_detector(Enable=True)["DetectorId"]


def test_coverage_says_which_log_sources_are_arriving(tmp_path):
    """ListCoverage and GetCoverageStatistics for Vigil: each log source analysed (a region's
    CloudTrail, a flow log, a VPC's Resolver logs) HEALTHY while its logs arrive; a data source
    never seen UNHEALTHY with the reason. Another account's detector sees only its own."""
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [
        {"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"},
        {"accessKeyId": "AKIAVIGILOTHER000002", "secretAccessKey": "other", "accountId": ACCOUNT}]}))
    server = Server(str(tmp_path / "data"), str(config)).start()
    try:
        coverage_of_a_server(server)
    finally:
        server.stop()


def coverage_of_a_server(server):
    client = server.client()
    detector = client.create_detector(Enable=True)["DetectorId"]
    wait_for_findings(client, detector, 5)
    resources = []
    token = None
    while True:
        page = client.list_coverage(DetectorId=detector, MaxResults=2, **({"NextToken": token} if token else {}))
        resources += page["Resources"]
        token = page.get("NextToken")
        if not token:
            break
    assert resources and {r["AccountId"] for r in resources} == {"123456789012"}
    healthy = [r for r in resources if r["CoverageStatus"] == "HEALTHY"]
    assert {r["ResourceDetails"]["ResourceType"] for r in healthy} >= {"CLOUD_TRAIL", "FLOW_LOGS", "DNS_LOGS"}
    assert all("Issue" not in r and r["DetectorId"] == detector for r in healthy)
    only_flow = client.list_coverage(DetectorId=detector, FilterCriteria={"FilterCriterion": [
        {"CriterionKey": "RESOURCE_TYPE", "FilterCondition": {"Equals": ["FLOW_LOGS"]}}]})["Resources"]
    assert only_flow and {r["ResourceDetails"]["ResourceType"] for r in only_flow} == {"FLOW_LOGS"}
    stats = client.get_coverage_statistics(DetectorId=detector, StatisticsType=["COUNT_BY_COVERAGE_STATUS", "COUNT_BY_RESOURCE_TYPE"])
    counts = stats["CoverageStatistics"]
    assert counts["CountByCoverageStatus"].get("HEALTHY") == len(healthy)
    assert sum(counts["CountByResourceType"].values()) == len(resources)
    # Another tenant: nothing of this account's, and its own sources never seen.
    other = server.client(key="AKIAVIGILOTHER000002", secret="other")
    theirs = other.create_detector(Enable=True)["DetectorId"]
    mine = other.list_coverage(DetectorId=theirs)["Resources"]
    assert {r["AccountId"] for r in mine} == {ACCOUNT} and all(r["CoverageStatus"] == "UNHEALTHY" and r["Issue"] for r in mine)
    result = other.get_member_detectors(DetectorId=theirs, AccountIds=["123456789012"])
    assert result["MemberDataSourceConfigurations"] == [] and result["UnprocessedAccounts"][0]["AccountId"] == "123456789012"
