"""Plain helpers for the approval tests (tests/approvals is on sys.path)."""
from stdnum.cn import uscc


def valid_uscc(seed: int, region: str = "330402") -> str:
    body = f"91{region}MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)
