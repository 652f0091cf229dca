"""Signs requests with botocore's SigV4 signer, for the differential test in tests/aws_signing.rs.

stdin: a JSON list of {method, url, headers: [[name, value]], body, region, service, key, secret, token,
timestamp ("YYYYMMDDTHHMMSSZ")}; stdout: a JSON list of the Authorization header values.
"""
import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

out = []
for case in json.load(sys.stdin):
    when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    req = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode())
    for name, value in case["headers"]:
        req.headers[name] = value
    creds = Credentials(case["key"], case["secret"], case.get("token"))
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        SigV4Auth(creds, case["service"], case["region"]).add_auth(req)
    out.append({"authorization": req.headers["Authorization"], "date": req.headers["X-Amz-Date"]})
json.dump(out, sys.stdout)
