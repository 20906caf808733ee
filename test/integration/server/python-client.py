"""A script's view of the v1 API, with nothing but the standard library (urllib), checked
against Python faiss on the same vectors.

usage: python3 python-client.py BASE_URL SHARED_DIR
Prints one JSON object with what it found; exits non-zero on the first mismatch.
"""
import json
import sys
import time
import urllib.error
import urllib.request

import faiss
import numpy as np

BASE, DIR = sys.argv[1].rstrip("/"), sys.argv[2]


def call(method, path, body=None, raw=None, headers=None):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers or {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, res.read(), res.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


def call_json(method, path, body=None):
    status, payload, _ = call(method, path, body)
    return status, (json.loads(payload) if payload else None)


def check(cond, what):
    if not cond:
        raise SystemExit("MISMATCH: " + what)


# a dataset and a Flat index built by the server
status, ds = call_json("POST", "/v1/datasets", {"generate": "tutorial", "n": 4000, "nq": 50, "seed": 7})
check(status == 201, "dataset created: %s %s" % (status, ds))
status, created = call_json("POST", "/v1/indexes", {"dataset": ds["id"], "factory": "Flat", "metric": "l2"})
check(status == 202 and created["status"] == "building", "index accepted: %s" % created)
for _ in range(600):
    status, ix = call_json("GET", "/v1/indexes/" + created["id"])
    if ix["status"] != "building":
        break
    time.sleep(0.05)
check(ix["status"] == "ready" and ix["ntotal"] == 4000, "index ready: %s" % ix)

# the server's file, read by Python faiss, gives the very vectors the server indexed
saved_path = DIR + "/from-server.faiss"
status, saved = call_json("POST", "/v1/indexes/%s/save" % created["id"], {"path": saved_path})
check(status == 200, "saved: %s" % saved)
theirs = faiss.read_index(saved["path"])
check(theirs.ntotal == 4000 and theirs.d == 64, "read_index: %d x %d" % (theirs.ntotal, theirs.d))
xb = theirs.reconstruct_n(0, theirs.ntotal)
mine = faiss.IndexFlatL2(64)
mine.add(xb)

rng = np.random.default_rng(3)
xq = (xb[rng.choice(4000, 20, replace=False)] + rng.normal(0, 0.05, (20, 64))).astype("float32")
D, I = mine.search(xq, 5)

status, answer = call_json("POST", "/v1/indexes/%s/search" % created["id"], {"vectors": xq.tolist(), "k": 5})
check(status == 200, "json search: %s" % answer)
check(np.array_equal(np.array(answer["labels"]), I), "json labels equal faiss's")
check(np.allclose(np.array(answer["distances"], dtype="float32"), D, rtol=1e-4, atol=1e-4), "json distances equal faiss's")

status, payload, headers = call(
    "POST", "/v1/indexes/%s/search?k=5&dim=64" % created["id"], raw=xq.astype("<f4").tobytes(), headers={"content-type": "application/octet-stream"}
)
check(status == 200, "binary search: %s %s" % (status, payload[:200]))
n, k = int(headers.get("X-Faiss-N")), int(headers.get("X-Faiss-K"))
check((n, k) == (20, 5), "binary shape %s" % ((n, k),))
bd = np.frombuffer(payload[: n * k * 4], dtype="<f4").reshape(n, k)
bl = np.frombuffer(payload[n * k * 4 :], dtype="<i8").reshape(n, k)
check(np.array_equal(bl, I), "binary labels equal faiss's")
check(np.allclose(bd, D, rtol=1e-4, atol=1e-4), "binary distances equal faiss's")

# Python's json.dumps writes NaN: a clear NON_FINITE, not a parse error
status, bad = call_json("POST", "/v1/indexes/%s/search" % created["id"], {"vectors": [[float("nan")] * 64], "k": 1})
check(status == 400 and bad["error"]["code"] == "NON_FINITE", "NaN refused: %s" % bad)

# an index written by Python faiss, served by the server
data = np.random.default_rng(11).random((3000, 32), dtype="float32")
py_index = faiss.IndexFlatIP(32)
py_index.add(data)
py_path = DIR + "/from-python.faiss"
faiss.write_index(py_index, py_path)
status, loaded = call_json("POST", "/v1/indexes/load", {"path": py_path, "name": "from python"})
check(status == 201 and loaded["ntotal"] == 3000 and loaded["dim"] == 32 and loaded["metric"] == "ip", "loaded: %s" % loaded)
q = data[:10] * 0.9
D2, I2 = py_index.search(q, 4)
status, answer2 = call_json("POST", "/v1/indexes/%s/search" % loaded["id"], {"vectors": q.tolist(), "k": 4})
check(status == 200 and np.array_equal(np.array(answer2["labels"]), I2), "labels of the Python-written index: %s vs %s" % (answer2, I2.tolist()))
check(np.allclose(np.array(answer2["distances"], dtype="float32"), D2, rtol=1e-4, atol=1e-4), "ip distances equal faiss's")

print(json.dumps({"ok": True, "index": created["id"], "loaded": loaded["id"], "factory": loaded["factory"]}))
