import pytest

from ops_helpers import make_demo_site


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The folder of a file-backed SQLite demo site (init + demo); tests work on copies."""
    folder = tmp_path_factory.mktemp("demo-site") / "site"
    make_demo_site(folder)
    return folder
