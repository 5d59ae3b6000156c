"""Valid USCCs for the quality tests, one enterprise per unit."""
from stdnum.cn import uscc


def uscc_for(org: str) -> str:
    region = org if org.isdigit() else "330400"
    body = f"91{region}MA{sum(map(ord, org)):07d}"[:17]
    return body + uscc.calc_check_digit(body)
