"""Logs read in place from S3: `vigil scan s3://BUCKET/PREFIX` against moto's S3 (objects put by the
real aws CLI) finds what a scan of the same files on disk finds, lists only the date folders
--since asks for, takes its credentials from the standard chain (an assumed role with an external
ID included) and says clearly what is wrong when it cannot read."""
import json
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from vigil_client import BINARY, SAMPLES, Moto


@pytest.fixture(scope="module")
def moto():
    server = Moto()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def estate():
    folder = tempfile.mkdtemp(prefix="vigil-s3-estate-")
    subprocess.run([BINARY, "simulate", "--output", folder, "--days", "3", "--accounts", "2", "--learning-days", "1"],
                   check=True, capture_output=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def scan(*args, env=None):
    result = subprocess.run([BINARY, "scan", "--format", "json", *args], env=env, capture_output=True, text=True)
    return result


def comparable(findings, prefix):
    """Findings with the places records were read from named alike (a local path or s3://…)."""
    text = json.dumps(findings, sort_keys=True).replace(prefix, "<logs>")
    return json.loads(text)


def summary_count(stderr, label):
    for line in stderr.splitlines():
        if line.strip().startswith(label):
            return line.split()
    return None


def test_a_bucket_scans_as_the_same_files_on_disk(moto, estate):
    # Two buckets in one scan: a batch's objects (its accounts interleaved) are fetched bucket by
    # bucket and read in the listed order all the same.
    moto.aws("s3", "mb", "s3://estate-logs")
    moto.aws("s3", "mb", "s3://estate-samples")
    moto.aws("s3", "cp", "--recursive", "--quiet", estate, "s3://estate-logs/org/")
    moto.aws("s3", "cp", "--recursive", "--quiet", SAMPLES, "s3://estate-samples/samples/")
    local = scan(estate, SAMPLES)
    remote = scan("s3://estate-logs/org/", "s3://estate-samples/samples/", env=moto.environment())
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    ours = comparable(comparable(json.loads(remote.stdout)["findings"], "s3://estate-logs/org"), "s3://estate-samples/samples")
    theirs = comparable(comparable(json.loads(local.stdout)["findings"], estate), SAMPLES)
    assert len(theirs) >= 8
    assert ours == theirs
    # Every record read and counted alike, source by source.
    for source in ("CloudTrail", "VPC Flow Logs", "DNS logs"):
        assert summary_count(remote.stderr, source)[-6:-2] == summary_count(local.stderr, source)[-6:-2], (remote.stderr, local.stderr)


def test_since_lists_only_the_date_folders_from_that_day(moto, estate):
    moto.aws("s3", "mb", "s3://dated-logs")
    moto.aws("s3", "cp", "--recursive", "--quiet", os.path.join(estate, "AWSLogs"), "s3://dated-logs/AWSLogs/")
    since = "2026-10-03T00:00:00Z"
    remote = scan("--since", since, "s3://dated-logs/", env=moto.environment())
    assert remote.returncode == 0, remote.stderr
    day_three = sum(len(files) for folder, _, files in os.walk(os.path.join(estate, "AWSLogs")) if "/2026/10/03" in folder)
    everything = sum(len(files) for _, _, files in os.walk(os.path.join(estate, "AWSLogs")))
    assert 0 < day_three < everything
    assert f"vigil scan: {day_three} files" in remote.stderr, remote.stderr
    local = scan("--since", since, estate)
    assert json.loads(remote.stdout)["findings"] == [] or \
        comparable(json.loads(remote.stdout)["findings"], "s3://dated-logs") == comparable(json.loads(local.stdout)["findings"], estate)


def test_credentials_from_a_profile_that_assumes_a_role_with_an_external_id(moto, estate):
    moto.aws("s3", "mb", "s3://cross-account-logs")
    moto.aws("s3", "cp", "--quiet", "--recursive", SAMPLES, "s3://cross-account-logs/")
    home = tempfile.mkdtemp(prefix="vigil-aws-home-")
    try:
        with open(os.path.join(home, "credentials"), "w") as f:
            f.write("[source]\naws_access_key_id = AKIASOURCE\naws_secret_access_key = source-secret\n")
        with open(os.path.join(home, "config"), "w") as f:
            f.write("[profile logs]\nrole_arn = arn:aws:iam::222222222222:role/vigil-log-reader\n"
                    "source_profile = source\nexternal_id = vigil-ext-1\nregion = us-east-1\n")
        env = moto.environment(AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "credentials"),
                               AWS_CONFIG_FILE=os.path.join(home, "config"), AWS_PROFILE="logs")
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.pop(name)
        result = scan("s3://cross-account-logs/", env=env)
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)["findings"]) >= 8
        # A profile naming a role with nothing to assume it with is refused, saying why.
        with open(os.path.join(home, "config"), "w") as f:
            f.write("[profile logs]\nrole_arn = arn:aws:iam::222222222222:role/vigil-log-reader\n")
        broken = scan("s3://cross-account-logs/", env=env)
        assert broken.returncode == 66
        assert "role_arn without source_profile or credential_source" in broken.stderr
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_what_cannot_be_read_is_named(moto):
    missing = scan("s3://no-such-bucket-here/AWSLogs/", env=moto.environment())
    assert missing.returncode == 66
    assert "s3://no-such-bucket-here/AWSLogs/" in missing.stderr and "NoSuchBucket" in missing.stderr
    bad = scan("s3://Not_A_Bucket/x", env=moto.environment())
    assert bad.returncode != 0 and "not an S3 location" in bad.stderr
    unreachable = scan("s3://some-bucket/", env=moto.environment(AWS_ENDPOINT_URL="http://127.0.0.1:9"))
    assert unreachable.returncode == 66 and "cannot reach AWS" in unreachable.stderr


@pytest.mark.parametrize("source", ["web identity", "instance metadata", "container"])
def test_credentials_from_the_rest_of_the_chain(moto, source, tmp_path):
    """An EKS pod's web identity token (STS AssumeRoleWithWebIdentity), an EC2 instance profile
    (IMDSv2: a token first, then the role's credentials) and an ECS task's credentials endpoint,
    each moto's own, with no key in the environment."""
    moto.aws("s3", "mb", "s3://chain-logs")
    moto.aws("s3", "cp", "--quiet", "--recursive", SAMPLES, "s3://chain-logs/")
    env = moto.environment()
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED"):
        env.pop(name)
    env["HOME"] = str(tmp_path)  # no shared files
    if source == "web identity":
        token = tmp_path / "token"
        token.write_text("eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl\n")
        env.update(AWS_WEB_IDENTITY_TOKEN_FILE=str(token), AWS_ROLE_ARN="arn:aws:iam::123456789012:role/vigil-pod")
    elif source == "instance metadata":
        env.update(AWS_EC2_METADATA_SERVICE_ENDPOINT=moto.url)
    else:
        env.update(AWS_CONTAINER_CREDENTIALS_FULL_URI=f"{moto.url}/latest/meta-data/iam/security-credentials/default-role",
                   AWS_CONTAINER_AUTHORIZATION_TOKEN="ecs-token", AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:9")
    result = scan("s3://chain-logs/", env=env)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["findings"]) >= 8


def stop_logging_trail(i, account="123456789012"):
    """A CloudTrail log object holding one StopLogging call (a finding of its own) of principal i."""
    event = {"eventVersion": "1.08", "eventTime": "2023-11-14T22:%02d:00Z" % (i % 60), "eventSource": "cloudtrail.amazonaws.com",
             "eventName": "StopLogging", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.%d" % (i + 1),
             "userAgent": "aws-cli/2.13.5", "eventID": "s3-watch-%d" % i, "recipientAccountId": account,
             "requestParameters": {"name": "trail-%d" % i},
             "userIdentity": {"type": "IAMUser", "principalId": "AIDAS3WATCH%d" % i, "arn": "arn:aws:iam::%s:user/u%d" % (account, i),
                              "accountId": account, "accessKeyId": "AKIAS3WATCH%05d" % i, "userName": "u%d" % i}}
    return json.dumps({"Records": [event]})


def test_serve_watches_a_bucket_reads_each_object_once_and_rereads_a_new_version(moto, tmp_path):
    """`vigil serve --watch s3://…`: objects put by the aws CLI become findings; a restart after
    SIGKILL reads nothing twice (the objects' keys and ETags are committed with their findings);
    an object rewritten under its key (a new ETag) is read again. Prints PutObject → finding times."""
    from vigil_client import KEY, SECRET, Server, wait_until
    moto.aws("s3", "mb", "s3://watched-logs")
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}]}))
    args = ["--watch", "s3://watched-logs/AWSLogs/", "--s3-poll-interval", "0.5"]
    server = Server(str(tmp_path / "data"), str(config), args, watch=None, env=moto.environment()).start()
    # Today's date folder, where CloudTrail delivers what it logs now.
    folder = "s3://watched-logs/AWSLogs/123456789012/CloudTrail/us-east-1/%s/" % time.strftime("%Y/%m/%d", time.gmtime())
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        latencies = []
        for i in range(4):
            body = tmp_path / ("trail-%d.json" % i)
            body.write_text(stop_logging_trail(i))
            started = time.time()
            moto.aws("s3", "cp", "--quiet", str(body), folder + "123456789012_CloudTrail_us-east-1_20231114T2215Z_%04d.json" % i)
            assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) >= i + 1, timeout=30, interval=0.05)
            latencies.append(time.time() - started)
        print("PutObject (aws CLI) to finding, polling every 0.5 s: %s" % ", ".join("%.2f s" % t for t in latencies))
        server.stop()  # SIGKILL
        server = Server(str(tmp_path / "data"), str(config), args, watch=None, env=moto.environment()).start()
        client = server.client()
        time.sleep(2)  # several rounds
        ids = client.list_findings(DetectorId=detector)["FindingIds"]
        assert len(ids) == 4
        findings = client.get_findings(DetectorId=detector, FindingIds=ids)["Findings"]
        assert all(f["Service"]["Count"] == 1 for f in findings), [f["Service"]["Count"] for f in findings]
        # A new version of object 0 (another principal's call): read again.
        body = tmp_path / "trail-rewritten.json"
        body.write_text(stop_logging_trail(7))
        moto.aws("s3", "cp", "--quiet", str(body), folder + "123456789012_CloudTrail_us-east-1_20231114T2215Z_0000.json")
        assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) == 5, timeout=30)
        usage = client.get_usage_statistics(DetectorId=detector, UsageStatisticType="SUM_BY_DATA_SOURCE",
                                            UsageCriteria={"DataSources": ["CLOUD_TRAIL"]})
        assert usage["UsageStatistics"]["SumByDataSource"], usage
    finally:
        server.stop()


def sqs_server(moto, tmp_path, queue_urls, visibility=10, buckets=()):
    from vigil_client import KEY, SECRET, Server
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({"apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}]}))
    args = ["--sqs-visibility", str(visibility)]
    for url in queue_urls:
        args += ["--sqs-queue", url]
    for bucket in buckets:
        args += ["--sqs-bucket", bucket]
    return Server(str(tmp_path / "data"), str(config), args, watch=None, env=moto.environment()).start()


def boto(moto, service):
    import boto3
    return boto3.client(service, endpoint_url=moto.url, region_name="us-east-1",
                        aws_access_key_id="AKIAMOTOTEST", aws_secret_access_key="moto-secret")


def trail_key(i):
    return "AWSLogs/123456789012/CloudTrail/us-east-1/%s/123456789012_CloudTrail_us-east-1_%04d.json" % (
        time.strftime("%Y/%m/%d", time.gmtime()), i)


def test_sqs_notifications_direct_and_through_sns_each_object_once(moto, tmp_path):
    """S3 event notifications on SQS — sent directly, and wrapped by SNS — become findings; a
    message that is not a notification is left for the redrive policy without stopping the rest.
    Prints PutObject → finding times through SQS."""
    from vigil_client import wait_until
    s3, sqs, sns = boto(moto, "s3"), boto(moto, "sqs"), boto(moto, "sns")
    direct = sqs.create_queue(QueueName="vigil-direct")["QueueUrl"]
    wrapped = sqs.create_queue(QueueName="vigil-sns")["QueueUrl"]
    s3.create_bucket(Bucket="notified-logs")
    s3.put_bucket_notification_configuration(Bucket="notified-logs", NotificationConfiguration={"QueueConfigurations": [
        {"QueueArn": "arn:aws:sqs:us-east-1:123456789012:vigil-direct", "Events": ["s3:ObjectCreated:*"]}]})
    topic = sns.create_topic(Name="log-objects")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:123456789012:vigil-sns")
    s3.create_bucket(Bucket="fanned-logs")
    s3.put_bucket_notification_configuration(Bucket="fanned-logs", NotificationConfiguration={"TopicConfigurations": [
        {"TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}]})
    sqs.send_message(QueueUrl=direct, MessageBody="not a notification")
    # Whoever can send to the queue cannot make Vigil read another bucket: it is refused and left.
    s3.create_bucket(Bucket="someone-elses")
    s3.put_object(Bucket="someone-elses", Key=trail_key(99), Body=stop_logging_trail(99).encode())
    sqs.send_message(QueueUrl=direct, MessageBody=json.dumps({"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": "someone-elses"}, "object": {"key": trail_key(99), "size": 10, "eTag": "x"}}}]}))
    server = sqs_server(moto, tmp_path, [direct, wrapped], buckets=["notified-logs", "fanned-logs"])
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        latencies = []
        for i in range(10):
            started = time.time()
            s3.put_object(Bucket="notified-logs", Key=trail_key(i), Body=stop_logging_trail(i).encode())
            assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) >= i + 1, timeout=30, interval=0.02)
            latencies.append(time.time() - started)
        latencies.sort()
        print("PutObject to finding through SQS: median %.3f s, max %.3f s" % (latencies[5], latencies[-1]))
        assert latencies[5] <= 1.0, latencies
        # Through SNS, and a key needing URL-encoding in the notification.
        s3.put_object(Bucket="fanned-logs", Key=trail_key(20).replace(".json", " (copy)+1.json"), Body=stop_logging_trail(20).encode())
        assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) == 11, timeout=30)
        time.sleep(1)
        assert len(client.list_findings(DetectorId=detector)["FindingIds"]) == 11  # nothing from someone-elses
        # The handled messages are gone; the one that is not a notification was left for the redrive policy.
        attributes = sqs.get_queue_attributes(QueueUrl=direct, AttributeNames=["All"])["Attributes"]
        assert int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"]) == 2, attributes
    finally:
        server.stop()


def test_sqs_notifications_through_eventbridge(moto, tmp_path):
    """A bucket sending its events to EventBridge, a rule routing "Object Created" to the queue:
    the EventBridge event shape is read too."""
    from vigil_client import wait_until
    s3, sqs, events = boto(moto, "s3"), boto(moto, "sqs"), boto(moto, "events")
    queue = sqs.create_queue(QueueName="vigil-eventbridge")["QueueUrl"]
    s3.create_bucket(Bucket="bridged-logs")
    s3.put_bucket_notification_configuration(Bucket="bridged-logs", NotificationConfiguration={"EventBridgeConfiguration": {}})
    events.put_rule(Name="log-objects", EventPattern=json.dumps({"source": ["aws.s3"], "detail-type": ["Object Created"]}))
    events.put_targets(Rule="log-objects", Targets=[{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:vigil-eventbridge"}])
    server = sqs_server(moto, tmp_path, [queue])
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        for i in range(3):
            s3.put_object(Bucket="bridged-logs", Key=trail_key(300 + i), Body=stop_logging_trail(300 + i).encode())
        assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) == 3, timeout=30)
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
        assert wait_until(lambda: sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])[
            "Attributes"]["ApproximateNumberOfMessages"] == "0", timeout=10), attributes
    finally:
        server.stop()


def test_kill_9_during_sqs_ingestion_loses_and_doubles_nothing(moto, tmp_path):
    """30 objects announced on a queue; the server is SIGKILLed as their findings arrive and
    started again: every object's finding exists once, with a count of 1."""
    from vigil_client import wait_until
    s3, sqs = boto(moto, "s3"), boto(moto, "sqs")
    queue = sqs.create_queue(QueueName="vigil-kill", Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
    s3.create_bucket(Bucket="killed-logs")
    s3.put_bucket_notification_configuration(Bucket="killed-logs", NotificationConfiguration={"QueueConfigurations": [
        {"QueueArn": "arn:aws:sqs:us-east-1:123456789012:vigil-kill", "Events": ["s3:ObjectCreated:*"]}]})
    server = sqs_server(moto, tmp_path, [queue])
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        for i in range(30):
            s3.put_object(Bucket="killed-logs", Key=trail_key(100 + i), Body=stop_logging_trail(100 + i).encode())
        assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) >= 3, timeout=30, interval=0.01)
        committed = len(client.list_findings(DetectorId=detector, MaxResults=50)["FindingIds"])
        server.stop()  # SIGKILL, mid-way
        print("killed with %d of 30 objects' findings committed" % committed)
        server = sqs_server(moto, tmp_path, [queue])
        client = server.client()
        assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) >= 30, timeout=60)
        time.sleep(12)  # past the visibility timeout: anything redelivered has been handled
        ids = client.list_findings(DetectorId=detector, MaxResults=50)["FindingIds"]
        assert len(ids) == 30
        findings = client.get_findings(DetectorId=detector, FindingIds=ids)["Findings"]
        assert all(f["Service"]["Count"] == 1 for f in findings), sorted(f["Service"]["Count"] for f in findings)
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessages"] == "0" and attributes["ApproximateNumberOfMessagesNotVisible"] == "0", attributes
    finally:
        server.stop()


def test_findings_reach_eventbridge_sns_and_security_hub(moto, tmp_path):
    """eventDelivery to AWS through the durable outbox: a "GuardDuty Finding" event on an
    EventBridge bus (read back through a rule's SQS target), the same event published to an SNS
    topic (read back through its SQS subscription), and each finding imported into Security Hub in
    ASFF (read back with GetFindings). moto is the peer for all three. A file target in OCSF gets
    the same findings as Detection Findings."""
    from vigil_client import KEY, SECRET, Server, wait_until
    events, sqs, sns, hub = boto(moto, "events"), boto(moto, "sqs"), boto(moto, "sns"), boto(moto, "securityhub")
    events.create_event_bus(Name="vigil-bus")
    bus_queue = sqs.create_queue(QueueName="bus-findings")["QueueUrl"]
    events.put_rule(Name="findings", EventBusName="vigil-bus", EventPattern=json.dumps({"source": ["vigil.guardduty"]}))
    events.put_targets(Rule="findings", EventBusName="vigil-bus",
                       Targets=[{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:bus-findings"}])
    topic = sns.create_topic(Name="vigil-findings")["TopicArn"]
    topic_queue = sqs.create_queue(QueueName="topic-findings")["QueueUrl"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:123456789012:topic-findings")
    hub.enable_security_hub()
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({
        "apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}],
        "eventDelivery": {"eventBridge": [{"eventBusName": "vigil-bus"}], "sns": [{"topicArn": topic}], "securityHub": [{}],
                          "files": [{"path": str(tmp_path / "findings.ocsf.jsonl"), "format": "ocsf"}]}}))
    server = Server(str(tmp_path / "data"), str(config), [], env=moto.environment()).start()
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) >= 8, timeout=60)
        ids = client.list_findings(DetectorId=detector, MaxResults=50)["FindingIds"]
        arns = {f["Arn"] for f in client.get_findings(DetectorId=detector, FindingIds=ids)["Findings"]}

        def drain(queue):
            bodies = []
            while True:
                batch = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
                if not batch:
                    return bodies
                bodies += [json.loads(m["Body"]) for m in batch]
                for m in batch:
                    sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])

        on_bus = []
        assert wait_until(lambda: on_bus.extend(drain(bus_queue)) or len(on_bus) >= len(ids), timeout=60)
        assert {e["detail-type"] for e in on_bus} == {"GuardDuty Finding"} and {e["source"] for e in on_bus} == {"vigil.guardduty"}
        assert {e["detail"]["id"] for e in on_bus} == set(ids)
        published = []
        assert wait_until(lambda: published.extend(drain(topic_queue)) or len(published) >= len(ids), timeout=60)
        envelopes = [json.loads(m["Message"]) for m in published]
        assert {e["detail"]["id"] for e in envelopes} == set(ids)
        imported = []
        assert wait_until(lambda: (imported.__setitem__(slice(None), hub.get_findings(MaxResults=100)["Findings"]) or len(imported) >= len(ids)),
                          timeout=60)
        assert {f["Id"] for f in imported} == arns
        # The same findings as OCSF Detection Findings in a file.
        assert wait_until(lambda: (tmp_path / "findings.ocsf.jsonl").exists()
                          and len((tmp_path / "findings.ocsf.jsonl").read_text().splitlines()) >= len(ids), timeout=30)
        ocsf = [json.loads(line) for line in (tmp_path / "findings.ocsf.jsonl").read_text().splitlines()]
        assert {e["finding_info"]["uid"] for e in ocsf} == set(ids)
        assert {e["class_uid"] for e in ocsf} == {2004} and all(e["metadata"]["version"] == "1.1.0" for e in ocsf)
        for f in imported:
            assert f["SchemaVersion"] == "2018-10-08" and f["AwsAccountId"] == "123456789012"
            assert f["ProductArn"] == "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default"
            assert f["Severity"]["Label"] in {"LOW", "MEDIUM", "HIGH", "CRITICAL"} and f["Resources"] and f["Types"]
    finally:
        server.stop()


def test_publishing_destinations_write_to_s3_with_the_destinations_kms_key(moto, tmp_path):
    """A publishing destination in a bucket the configuration's exportBuckets allows for the
    account is written to S3 itself, as GuardDuty exports: gzip JSON lines under
    AWSLogs/<account>/GuardDuty/<region>/<date>/, SSE-KMS with the destination's key. A bucket
    not allowed for the account is written under the server's exports folder instead."""
    import gzip
    from vigil_client import KEY, SECRET, Server, wait_until
    s3, kms = boto(moto, "s3"), boto(moto, "kms")
    s3.create_bucket(Bucket="findings-export")
    key_arn = kms.create_key(Description="vigil exports")["KeyMetadata"]["Arn"]
    config = tmp_path / "vigil.json"
    config.write_text(json.dumps({
        "apiCredentials": [{"accessKeyId": KEY, "secretAccessKey": SECRET, "accountId": "123456789012"}],
        "exportBuckets": {"123456789012": ["findings-export/guardduty"]}}))
    watched = tmp_path / "logs"
    watched.mkdir()
    server = Server(str(tmp_path / "data"), str(config), [], watch=str(watched), env=moto.environment()).start()
    try:
        client = server.client()
        detector = client.create_detector(Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES")["DetectorId"]
        client.create_publishing_destination(DetectorId=detector, DestinationType="S3", DestinationProperties={
            "DestinationArn": "arn:aws:s3:::findings-export/guardduty/prod", "KmsKeyArn": key_arn})
        shutil.copytree(SAMPLES, watched / "samples")  # the logs arrive once the destination is there
        assert wait_until(lambda: len(client.list_findings(DetectorId=detector)["FindingIds"]) >= 8, timeout=60)
        ids = set(client.list_findings(DetectorId=detector, MaxResults=50)["FindingIds"])

        def exported():
            keys = [o["Key"] for o in s3.list_objects_v2(Bucket="findings-export", Prefix="guardduty/prod/").get("Contents", [])]
            return keys if len(keys) >= len(ids) else None
        keys = wait_until(exported, timeout=60)
        assert keys, "nothing exported to S3"
        found = set()
        for key in keys:
            assert key.startswith("guardduty/prod/AWSLogs/123456789012/GuardDuty/us-east-1/") and key.endswith(".jsonl.gz")
            obj = s3.get_object(Bucket="findings-export", Key=key)
            assert obj["ServerSideEncryption"] == "aws:kms" and obj["SSEKMSKeyId"] == key_arn
            for line in gzip.decompress(obj["Body"].read()).decode().splitlines():
                found.add(json.loads(line)["id"])
        assert found == ids
    finally:
        server.stop()
