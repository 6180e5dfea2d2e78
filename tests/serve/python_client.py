"""A Python client of `hftlab serve`, compiled from the shipped proto at run time.

Usage: python3 python_client.py PROTO_DIR WORK_DIR ADDRESS TICKS_NDJSON

Compiles proto/hftlab/v1/hftlab.proto with grpc_tools into WORK_DIR, calls
Meanrev, Optimize, Hmm and StreamSignals, and prints one JSON document of
what came back, for serve-python.test.ts to compare with the CLI.
"""
import json
import os
import re
import sys


def compile_proto(proto_dir, work_dir):
    """grpc_tools' protoc on the proto; a protoc older than proto3 `optional`
    (Debian bookworm's python3-grpc-tools bundles protoc 3.5) gets each
    `optional` field as the one-field oneof it stands for, which encodes the
    same bytes and keeps HasField."""
    from grpc_tools import protoc

    source = os.path.join(proto_dir, "hftlab", "v1", "hftlab.proto")
    out = os.path.join(work_dir, "out")
    os.makedirs(out, exist_ok=True)
    if protoc.main(["protoc", "-I" + proto_dir, "--python_out=" + out, "--grpc_python_out=" + out, source]) != 0:
        rewritten = os.path.join(work_dir, "proto")
        os.makedirs(os.path.join(rewritten, "hftlab", "v1"), exist_ok=True)
        with open(source) as f:
            text = f.read()
        text = re.sub(
            r"^(\s*)optional ([\w.]+) (\w+) = (\d+);",
            r"\1oneof _\3 { \2 \3 = \4; }",
            text,
            flags=re.M,
        )
        with open(os.path.join(rewritten, "hftlab", "v1", "hftlab.proto"), "w") as f:
            f.write(text)
        target = os.path.join(rewritten, "hftlab", "v1", "hftlab.proto")
        status = protoc.main(["protoc", "-I" + rewritten, "--python_out=" + out, "--grpc_python_out=" + out, target])
        if status != 0:
            raise SystemExit("protoc failed on the proto")
    # google.rpc.Status and ErrorInfo, the rich status of errors; any.proto is grpc_tools' own.
    import grpc_tools

    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    rpc_protos = [os.path.join(proto_dir, "google", "rpc", name) for name in ("status.proto", "error_details.proto")]
    if protoc.main(["protoc", "-I" + proto_dir, "-I" + well_known, "--python_out=" + out, *rpc_protos]) != 0:
        raise SystemExit("protoc failed on google/rpc")
    sys.path.insert(0, out)


def rich_status(error):
    """The google.rpc.Status of a failed call, from its grpc-status-details-bin trailer."""
    from google.rpc import error_details_pb2, status_pb2

    details = dict(error.trailing_metadata()).get("grpc-status-details-bin")
    status = status_pb2.Status.FromString(details)
    info = error_details_pb2.ErrorInfo()
    if not status.details[0].Unpack(info):
        raise SystemExit("the status detail is not an ErrorInfo")
    return {
        "code": status.code,
        "message": status.message,
        "grpc_code": error.code().value[0],
        "grpc_details": error.details(),
        "reason": info.reason,
        "domain": info.domain,
        "metadata": dict(info.metadata),
    }


def read_ticks(path, pb):
    ticks = []
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            tick = json.loads(line)
            # The time stamp as written: a number's text, not the double it reads as.
            ts = re.search(r'"ts":("[^"]*"|[^,}]+)', line).group(1).strip('"')
            ticks.append(pb.Tick(ts=ts, symbol=tick["symbol"], price=tick["price"]))
    return ticks


def main():
    proto_dir, work_dir, address, ticks_path = sys.argv[1:5]
    compile_proto(proto_dir, work_dir)
    import grpc
    from hftlab.v1 import hftlab_pb2 as pb
    from hftlab.v1 import hftlab_pb2_grpc as rpc

    with grpc.insecure_channel(address) as channel:
        stub = rpc.HftlabStub(channel)
        meanrev = stub.Meanrev(pb.MeanrevRequest(path="eustocks.csv", window=60), timeout=60)
        optimize = stub.Optimize(pb.OptimizeRequest(path="eustocks.csv", method="max-sharpe"), timeout=60)
        hmm = stub.Hmm(pb.HmmRequest(path="eustocks.csv", columns=["DAX"], states=2, restarts=3), timeout=60)
        ticks = read_ticks(ticks_path, pb)

        def requests():
            options = pb.StreamOptions(window=30)
            for start in range(0, len(ticks), 50):
                batch = ticks[start : start + 50]
                yield pb.StreamSignalsRequest(options=options, ticks=batch) if start == 0 else pb.StreamSignalsRequest(ticks=batch)

        rows = list(stub.StreamSignals(requests(), timeout=60))
        try:
            stub.Meanrev(pb.MeanrevRequest(path="eustocks.csv", columns=["NOPE"]), timeout=60)
            raise SystemExit("a column that is not there was accepted")
        except grpc.RpcError as error:
            refused = rich_status(error)
    print(
        json.dumps(
            {
                "meanrev": meanrev.result_json,
                "meanrev_z": meanrev.series[0].last.z,
                "meanrev_adf_p_value": meanrev.series[0].adf.p_value,
                "optimize": optimize.result_json,
                "optimize_weights": dict(optimize.weights),
                "optimize_sharpe": optimize.sharpe,
                "hmm": hmm.result_json,
                "hmm_log_likelihood": hmm.log_likelihood,
                "stream_rows": [row.row_json for row in rows],
                "stream_z": [row.z if row.HasField("z") else None for row in rows],
                "refused": refused,
            }
        )
    )


if __name__ == "__main__":
    main()
