"""The peer: what a seller's analyst writes in pandas for the same figures, timed in-process.

Reads the export (description row skipped), groups lines by order, and counts paid orders,
whole-order cancellations and seller-initiated cancels. Prints one JSON line like report-child.
"""
import json
import sys
import time

import pandas as pd

started = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype=str, skiprows=[1], encoding="utf-8-sig")
orders = df.groupby("Order ID", sort=False).agg(
    status=("Order Status", "first"),
    paid=("Paid Time", "first"),
    cancel_by=("Cancel By", "first"),
    reason=("Cancel Reason", "first"),
    lines=("Order ID", "size"),
)
paid = orders[orders["paid"].notna()]
cancelled = paid[paid["status"].str.lower().isin(["cancelled", "canceled"])]
seller = cancelled[cancelled["cancel_by"].str.lower() == "seller"]
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "orders": int(len(paid)), "cancelled": int(len(cancelled)), "seller": int(len(seller))}))
