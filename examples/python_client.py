#!/usr/bin/env python3
"""Score a page with a running `pagescore serve`, from Python, using only the proto.

Usage:
    python examples/python_client.py PAGE.html [--addr 127.0.0.1:50051] [--url URL]
                                     [--evidence] [--stream] [--timeout 5]

The stubs are generated from proto/pagescore/v1/pagescore.proto at start-up with grpcio-tools
(into a temporary folder), so the proto is the only contract. See examples/README.md.
"""

import argparse
import importlib
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_ROOT = os.path.join(HERE, "..", "proto")
PROTO = "pagescore/v1/pagescore.proto"


def load_stubs():
    """Generates pagescore_pb2 / pagescore_pb2_grpc from the proto and imports them."""
    out = tempfile.mkdtemp(prefix="pagescore-stubs-")
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    rc = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{PROTO_ROOT}",
            f"-I{include}",
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            PROTO,
        ]
    )
    if rc != 0:
        sys.exit(f"protoc failed on {PROTO}")
    sys.path.insert(0, out)
    pb2 = importlib.import_module("pagescore.v1.pagescore_pb2")
    pb2_grpc = importlib.import_module("pagescore.v1.pagescore_pb2_grpc")
    return pb2, pb2_grpc


def read_page(path):
    """The file's bytes; `.gz` files are sent as they are (the server gunzips)."""
    with open(path, "rb") as f:
        return f.read()


def show(pb2, resp):
    if resp.HasField("error"):
        names = {sc.value[0]: sc.name for sc in grpc.StatusCode}
        code = names.get(resp.error.code, str(resp.error.code))
        print(f"{resp.id}: error {code} (field {resp.error.field or '-'}): {resp.error.message}")
        return
    verdict = pb2.Verdict.Name(resp.verdict).removeprefix("VERDICT_").lower()
    print(f"{resp.id}: spam_probability={resp.spam_probability:.4f} verdict={verdict} "
          f"model={resp.model_version} truncated={resp.truncated} "
          f"server_time={resp.server_time_us} us")
    top = sorted(resp.signals, key=lambda s: abs(s.contribution), reverse=True)[:8]
    for s in top:
        print(f"  {s.name:32s} value={s.value:10.4f} contribution={s.contribution:+.4f}")
        for e in s.evidence[:3]:
            print(f"      evidence: {e[:100]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("page", help="HTML file (or .gz, or .txt for plain text)")
    ap.add_argument("--addr", default="127.0.0.1:50051")
    ap.add_argument("--url", default="", help="the URL the page was fetched from")
    ap.add_argument("--content-type", default="", help="the HTTP Content-Type header")
    ap.add_argument("--evidence", action="store_true", help="ask for evidence")
    ap.add_argument("--stream", action="store_true", help="use ScoreStream instead of Score")
    ap.add_argument("--timeout", type=float, default=5.0, help="deadline in seconds")
    args = ap.parse_args()

    pb2, pb2_grpc = load_stubs()
    body = read_page(args.page)
    req = pb2.ScoreRequest(id=os.path.basename(args.page), url=args.url,
                           content_type=args.content_type, include_evidence=args.evidence)
    if args.page.endswith(".txt"):
        req.text = body.decode("utf-8", errors="replace")
    else:
        req.body = body

    options = [("grpc.max_send_message_length", 16 << 20),
               ("grpc.max_receive_message_length", 16 << 20)]
    with grpc.insecure_channel(args.addr, options=options,
                               compression=grpc.Compression.Gzip) as channel:
        stub = pb2_grpc.PageScoreStub(channel)
        info = stub.GetModelInfo(pb2.GetModelInfoRequest(), timeout=args.timeout)
        print(f"model {info.model_version} (schema {info.schema_hash}, from {info.source})")
        try:
            if args.stream:
                for resp in stub.ScoreStream(iter([req]), timeout=args.timeout):
                    show(pb2, resp)
            else:
                show(pb2, stub.Score(req, timeout=args.timeout))
        except grpc.RpcError as e:
            sys.exit(f"{args.page}: {e.code().name}: {e.details()}")


if __name__ == "__main__":
    main()
