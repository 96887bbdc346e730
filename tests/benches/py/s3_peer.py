"""Scenario 2's peer: the S3 data path through boto3 (default transfer settings).

Phase "big": upload_file of one large file (multipart, boto3's TransferConfig defaults), then
download_fileobj of it into /dev/null. Phase "small": COUNT small objects put from CONCURRENCY
threads sharing one client, then listed with the list_objects_v2 paginator. Prints one JSON
object on stdout with the timings and this process's peak RSS (VmHWM from /proc/self/status).
"""

import argparse
import concurrent.futures
import json
import os
import time

import boto3
from botocore.config import Config


def vmhwm_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--phase", choices=["big", "small"], required=True)
    parser.add_argument("--file")
    parser.add_argument("--key", default="big-object")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--prefix", default="small/")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    # The secret comes through the environment, never the command line.
    secret = os.environ["ECS_BENCH_SECRET_KEY"]

    client = boto3.client(
        "s3",
        endpoint_url=args.endpoint,
        aws_access_key_id=args.access_key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
        config=Config(
            s3={"addressing_style": "path"},
            max_pool_connections=max(10, args.concurrency),
            retries={"max_attempts": 1},
        ),
    )
    result = {}
    if args.phase == "big":
        size = os.path.getsize(args.file)
        start = time.perf_counter()
        client.upload_file(args.file, args.bucket, args.key)
        result["upload_s"] = time.perf_counter() - start
        start = time.perf_counter()
        with open("/dev/null", "wb") as sink:
            client.download_fileobj(args.bucket, args.key, sink)
        result["download_s"] = time.perf_counter() - start
        result["bytes"] = size
    else:
        body = b"x" * args.size

        def put(i):
            client.put_object(Bucket=args.bucket, Key="%s%06d" % (args.prefix, i), Body=body)

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            for _ in pool.map(put, range(args.count)):
                pass
        result["put_s"] = time.perf_counter() - start
        start = time.perf_counter()
        listed = 0
        paginator = client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=args.bucket, Prefix=args.prefix):
            listed += len(page.get("Contents", []))
        result["list_s"] = time.perf_counter() - start
        result["listed"] = listed
        result["count"] = args.count
    result["vmhwm_kib"] = vmhwm_kib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
