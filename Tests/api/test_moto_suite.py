"""moto's own GuardDuty tests (tests/test_guardduty in getmoto/moto, from the sdist of the installed
moto on PyPI, downloaded once into .build/moto-tests) run in moto's server mode against
`vigil serve --test-mode`: every one passes. Then the same operations under GuardDuty's own rules
(no --test-mode): moto's laxer inputs are refused, naming the member."""
import os
import subprocess
import sys
import tarfile
import tempfile

import boto3
import botocore.exceptions
import pytest

from vigil_client import ACCOUNT, KEY, ROOT, SECRET, Server

CACHE = os.path.join(ROOT, ".build", "moto-tests")


def moto_tests():
    import moto
    folder = os.path.join(CACHE, f"moto-{moto.__version__}")
    if not os.path.isdir(os.path.join(folder, "tests", "test_guardduty")):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", CACHE,
                        f"moto=={moto.__version__}"], check=True)
        with tarfile.open(os.path.join(CACHE, f"moto-{moto.__version__}.tar.gz")) as archive:
            wanted = [m for m in archive.getmembers()
                      if m.name.startswith(f"moto-{moto.__version__}/tests/test_guardduty/")
                      or m.name in (f"moto-{moto.__version__}/tests/__init__.py", f"moto-{moto.__version__}/tests/conftest.py",
                                    f"moto-{moto.__version__}/tests/markers.py")]
            archive.extractall(CACHE, members=wanted, filter="data")
    return folder


def test_motos_guardduty_suite_passes_against_vigil(tmp_path):
    folder = moto_tests()
    config = tmp_path / "vigil.json"
    config.write_text('{"apiCredentials": []}')
    server = Server(str(tmp_path / "data"), str(config), ["--test-mode"], watch=None).start()
    try:
        env = dict(os.environ, TEST_SERVER_MODE="true", TEST_SERVER_MODE_ENDPOINT=server.url,
                   AWS_ACCESS_KEY_ID="FOOBARKEY", AWS_SECRET_ACCESS_KEY="FOOBARSECRET", AWS_DEFAULT_REGION="us-east-1")
        result = subprocess.run([sys.executable, "-m", "pytest", "tests/test_guardduty", "-q", "-p", "no:cacheprovider"],
                                cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
        print("moto's tests/test_guardduty against vigil serve --test-mode:", summary)
        assert result.returncode == 0 and "failed" not in summary, result.stdout[-4000:]
        assert "passed" in summary
    finally:
        server.stop()


def test_guardduty_rules_without_test_mode(tmp_path):
    config = tmp_path / "vigil.json"
    config.write_text('{"apiCredentials": [{"accessKeyId": "%s", "secretAccessKey": "%s", "accountId": "%s"}]}' % (KEY, SECRET, ACCOUNT))
    server = Server(str(tmp_path / "data"), str(config), [], watch=None).start()
    try:
        client = server.client()

        def refused(call, member):
            with pytest.raises(botocore.exceptions.ClientError) as error:
                call()
            assert error.value.response["Error"]["Code"] == "BadRequestException"
            assert member in error.value.response["Error"]["Message"]

        refused(lambda: client.create_detector(Enable=True, Tags={}), "tags")
        refused(lambda: client.create_detector(Enable=True, Features=[{"Name": "Test", "Status": "ENABLED"}]), "features[0].name")
        detector = client.create_detector(Enable=True, DataSources={"S3Logs": {"Enable": True}},
                                          Features=[{"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED"}])["DetectorId"]
        refused(lambda: client.create_detector(Enable=True), "already exists")
        got = client.get_detector(DetectorId=detector)
        assert got["DataSources"]["S3Logs"] == {"Status": "ENABLED"} and got["DataSources"]["CloudTrail"] == {"Status": "ENABLED"}
        assert got["Features"] == [{"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED"}]
        client.update_detector(DetectorId=detector, DataSources={"S3Logs": {"Enable": False}})
        assert client.get_detector(DetectorId=detector)["DataSources"]["S3Logs"] == {"Status": "DISABLED"}
        refused(lambda: client.create_filter(DetectorId=detector, Name="my first filter", FindingCriteria={"Criterion": {}}), "filter name")
        refused(lambda: client.enable_organization_admin_account(AdminAccountId="someaccount"), "12-digit")
        client.enable_organization_admin_account(AdminAccountId="222233334444")
        refused(lambda: client.enable_organization_admin_account(AdminAccountId="555566667777"), "already has a delegated administrator")
        assert client.list_organization_admin_accounts()["AdminAccounts"] == [{"AdminAccountId": "222233334444", "AdminStatus": "ENABLED"}]
        client.update_organization_configuration(DetectorId=detector, AutoEnableOrganizationMembers="NEW")
        described = client.describe_organization_configuration(DetectorId=detector)
        assert described["AutoEnableOrganizationMembers"] == "NEW" and described["AutoEnable"] is True
        stats = client.get_organization_statistics()["OrganizationDetails"]["OrganizationStatistics"]
        assert stats["TotalAccountsCount"] == 1 and stats["MemberAccountsCount"] == 0
        client.disable_organization_admin_account(AdminAccountId="222233334444")
        assert client.list_organization_admin_accounts()["AdminAccounts"] == []
    finally:
        server.stop()
