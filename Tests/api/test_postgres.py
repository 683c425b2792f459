"""What only the PostgreSQL store has to show (run in the suite's PostgreSQL pass): a server cut
off from its database — the cluster stopped for 20 s, then started again — keeps answering (with
errors while the database is away), loses nothing it was given meanwhile, and resumes by itself."""
import os
import shutil
import time

import botocore.exceptions
import pytest

from vigil_client import KEY, SAMPLES, SECRET, STORE, Server, postgres_cluster, wait_until, write_config

pytestmark = pytest.mark.skipif(STORE != "postgres", reason="the PostgreSQL pass only (VIGIL_TEST_STORE=postgres)")


def finding_ids(client, detector):
    ids, token = [], None
    while True:
        page = client.list_findings(DetectorId=detector, MaxResults=50, **({"NextToken": token} if token else {}))
        ids += page["FindingIds"]
        token = page.get("NextToken")
        if not token:
            return ids


def test_a_database_outage_is_survived_and_nothing_given_meanwhile_is_lost(tmp_path):
    config = write_config(tmp_path / "vigil.json", [(KEY, SECRET, "123456789012")])
    watch = tmp_path / "watch"
    watch.mkdir()
    server = Server(str(tmp_path / "data"), config, ["--no-geoip"], watch=str(watch)).start()
    cluster = postgres_cluster()
    try:
        client = server.client()
        detector = client.create_detector(Enable=True)["DetectorId"]
        assert finding_ids(client, detector) == []
        cluster.pause()
        try:
            # The logs arrive while the database is away; the API answers with an error, not silence.
            shutil.copytree(SAMPLES, watch / "samples")
            with pytest.raises(botocore.exceptions.ClientError) as refused:
                client.list_findings(DetectorId=detector)
            assert refused.value.response["Error"]["Code"] == "InternalServerErrorException"
            assert "reference" in refused.value.response["Error"]["Message"]
            time.sleep(20)
            assert server.alive()
        finally:
            cluster.resume()
        # Back by itself: the logs given during the outage are analysed, the API answers again.
        def answered():
            try:
                return finding_ids(client, detector)
            except botocore.exceptions.ClientError:
                return None  # a connection broken by the outage is replaced on the next call
        ids = wait_until(answered, timeout=120)
        assert len(ids) >= 5
        types = {f["Type"] for f in client.get_findings(DetectorId=detector, FindingIds=ids[:50])["Findings"]}
        assert "Recon:EC2/Portscan" in types
    finally:
        server.stop()
