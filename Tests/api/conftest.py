"""The API suite runs against the store in $VIGIL_TEST_STORE (sqlite, or postgres: a throw-away
cluster started on first use and removed when the session ends)."""
import vigil_client


def pytest_sessionfinish(session, exitstatus):
    vigil_client.stop_postgres_cluster()


def pytest_report_header(config):
    return f"vigil store: {vigil_client.STORE}"
