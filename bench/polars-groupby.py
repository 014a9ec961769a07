"""The same yardstick as pandas-groupby.py, written with polars (a seller's analyst's other choice).

Reads the whole export, groups its lines by Order ID and counts paid, cancelled and
seller-cancelled orders. Prints the seconds taken (reading included), wall clock and CPU, as JSON.
"""
import json
import sys
import time

import polars as pl

started = time.perf_counter()
cpu_started = time.process_time()
# Every column as text, the description row under the header skipped, as pandas reads it.
df = pl.read_csv(sys.argv[1], infer_schema_length=0, skip_rows_after_header=1)
orders = df.group_by("Order ID", maintain_order=False).agg(
    pl.col("Order Status").first().alias("status"),
    pl.col("Created Time").first().alias("created"),
    pl.col("Paid Time").first().alias("paid"),
    pl.len().alias("lines"),
    (pl.col("Cancelation/Return Type") == "Cancel").sum().alias("cancel_lines"),
    pl.col("Cancel By").first().alias("cancel_by"),
    pl.col("Cancel Reason").first().alias("reason"),
)
orders = orders.with_columns(pl.col("created").str.strptime(pl.Date, "%d/%m/%Y %H:%M:%S", strict=False).alias("day"))
paid = orders.filter(pl.col("paid").fill_null("") != "")
cancelled = paid.filter((pl.col("status") == "Cancelled") | (pl.col("lines") == pl.col("cancel_lines")))
by_day = paid.group_by("day").len()
seller = cancelled.filter(pl.col("cancel_by") == "Seller")
reasons = cancelled.group_by("reason").len().sort("len", descending=True)
seconds = time.perf_counter() - started
cpu_seconds = time.process_time() - cpu_started
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "orders": paid.height, "cancelled": cancelled.height, "days": by_day.height}))
