#!/usr/bin/env python3
"""pandas' to_csv on the long table `hftlab meanrev --out x.csv` writes.

The peer for `npm run bench -- meanrev-rows`: the wide price file is read
with pandas, the rolling mean, standard deviation and z-score are computed
with pandas' own rolling window (the same window as hftlab's default), the
frame is made long (time-major, one row per bar and symbol, as hftlab's
rows are) and `to_csv` writes it. Only `to_csv` is the figure compared with
hftlab's whole process; the other phases are printed beside it. The
position column is a sign rule here, not hftlab's hysteresis: to_csv's
cost does not depend on which of -1, 0, 1 a cell holds.

Prints one JSON line: {"load_s", "compute_s", "to_csv_s", "rows", "bytes"}.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd


def main():
    path, out = sys.argv[1], sys.argv[2]
    window = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    t0 = time.perf_counter()
    wide = pd.read_csv(path, dtype={"time": str})
    wide = wide.set_index("time")
    t1 = time.perf_counter()
    rolling = wide.rolling(window)
    mean = rolling.mean()
    std = rolling.std()
    z = (wide - mean) / std.where(std != 0)
    position = np.sign(-z.fillna(0).round(0)).astype(np.int8)
    long = pd.DataFrame(
        {
            "price": wide.stack(dropna=False),
            "mean": mean.stack(dropna=False),
            "std": std.stack(dropna=False),
            "z": z.stack(dropna=False),
            "position": position.stack(dropna=False),
        }
    )
    long.index.names = ["time", "symbol"]
    t2 = time.perf_counter()
    long.to_csv(out)
    t3 = time.perf_counter()
    print(json.dumps({
        "load_s": t1 - t0,
        "compute_s": t2 - t1,
        "to_csv_s": t3 - t2,
        "rows": len(long),
        "bytes": os.path.getsize(out),
    }))


if __name__ == "__main__":
    main()
