"""Logs read in place from S3: `vigil scan s3://BUCKET/PREFIX` against moto's S3 (objects put by the
real aws CLI) finds what a scan of the same files on disk finds, lists only the date folders
--since asks for, takes its credentials from the standard chain (an assumed role with an external
ID included) and says clearly what is wrong when it cannot read."""
import json
import os
import shutil
import subprocess
import tempfile

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
    moto.aws("s3", "mb", "s3://estate-logs")
    moto.aws("s3", "cp", "--recursive", "--quiet", estate, "s3://estate-logs/org/")
    moto.aws("s3", "cp", "--recursive", "--quiet", SAMPLES, "s3://estate-logs/samples/")
    local = scan(estate, SAMPLES)
    remote = scan("s3://estate-logs/org/", "s3://estate-logs/samples/", env=moto.environment())
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    ours = comparable(comparable(json.loads(remote.stdout)["findings"], "s3://estate-logs/org"), "s3://estate-logs/samples")
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
