"""Plain helpers for the importer tests (importable by name: tests/imports is on sys.path)."""
from stdnum.cn import uscc


def valid_uscc(seed: int, region: str = "330402") -> str:
    """A valid 18-character USCC (GB 32100-2015), as tests/conftest.py's make_uscc makes them."""
    body = f"91{region}MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)
