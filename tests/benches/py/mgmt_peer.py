"""Scenario 1's peer: the management sequence through python-ecsclient.

Each caller (a thread) has its own python-ecsclient Client, logged in once before the clock
starts, and runs the sequence ITERATIONS times: bucket info, object user create, secret-key
get, object user delete, bucket quota set. Prints one JSON object on stdout: the calls made,
the wall time, and this process's peak RSS (VmHWM from /proc/self/status).
"""

import argparse
import json
import os
import tempfile
import threading
import time

from ecsclient.client import Client


def vmhwm_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--user", default="root")
    parser.add_argument("--password", default="ChangeMe")
    parser.add_argument("--namespace", default="ns1")
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--iterations", type=int, required=True)
    parser.add_argument("--callers", type=int, default=1)
    parser.add_argument("--prefix", required=True)
    args = parser.parse_args()

    token_dir = tempfile.mkdtemp(prefix="ecs-bench-tokens-")
    clients = []
    for caller in range(args.callers):
        client = Client(
            "3",
            username=args.user,
            password=args.password,
            token_endpoint=args.endpoint + "/login",
            ecs_endpoint=args.endpoint,
            token_path=os.path.join(token_dir, "caller-%d.tkn" % caller),
        )
        # Log in before the clock starts, as ours does.
        client.bucket.get(args.bucket, args.namespace)
        clients.append(client)

    errors = []

    def run(caller):
        client = clients[caller]
        try:
            for i in range(args.iterations):
                uid = "%s-%d-%d" % (args.prefix, caller, i)
                client.bucket.get(args.bucket, args.namespace)
                client.object_user.create(uid, args.namespace)
                client.secret_key.get(uid)
                client.object_user.delete(uid, args.namespace)
                client.bucket.set_quota(args.bucket, 5, 4, args.namespace)
        except Exception as error:  # reported, and the run fails
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(c,)) for c in range(args.callers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    print(json.dumps({
        "calls": 5 * args.iterations * args.callers,
        "elapsed_s": elapsed,
        "vmhwm_kib": vmhwm_kib(),
        "errors": errors[:5],
    }))


if __name__ == "__main__":
    main()
