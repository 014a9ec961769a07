"""The yardstick: what a seller's analyst would write with pandas for the same figures.

Reads the whole export, groups its lines by Order ID and counts paid, cancelled and
seller-cancelled orders. Prints the seconds taken (reading included), wall clock and CPU, as JSON.
"""
import json
import sys
import time

import pandas as pd

started = time.perf_counter()
cpu_started = time.process_time()
df = pd.read_csv(sys.argv[1], dtype=str, skiprows=[1], keep_default_na=False)
df["is_cancel_line"] = df["Cancelation/Return Type"].eq("Cancel")
orders = df.groupby("Order ID", sort=False).agg(
    status=("Order Status", "first"),
    created=("Created Time", "first"),
    paid=("Paid Time", "first"),
    lines=("Order ID", "size"),
    cancel_lines=("is_cancel_line", "sum"),
    cancel_by=("Cancel By", "first"),
    reason=("Cancel Reason", "first"),
    fulfilment=("Fulfillment Type", "first"),
    amount=("Order Amount", "first"),
)
orders["day"] = pd.to_datetime(orders["created"], format="%d/%m/%Y %H:%M:%S", errors="coerce").dt.date
paid = orders[orders["paid"] != ""]
cancelled = paid[(paid["status"] == "Cancelled") | (paid["lines"] == paid["cancel_lines"])]
by_day = paid.groupby("day").size()
seller = cancelled[cancelled["cancel_by"] == "Seller"]
reasons = cancelled.groupby("reason").size().sort_values(ascending=False)
seconds = time.perf_counter() - started
cpu_seconds = time.process_time() - cpu_started
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "orders": int(len(paid)), "cancelled": int(len(cancelled)), "days": int(len(by_day))}))
