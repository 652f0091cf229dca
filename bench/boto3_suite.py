#!/usr/bin/env python3
"""The scenario suite made with plain boto3: the baseline `just bench` compares the harness with.

It reads the same scenario files and makes the same calls as `cognito-drift run`: per scenario the
same fixture calls (CreateUserPool, SetUserPoolMfaConfig, CreateUserPoolClient, AdminCreateUser,
AdminSetUserPassword / SignUp, AdminGetUser, InitiateAuth, AssociateSoftwareToken,
VerifySoftwareToken with a fresh RFC 6238 code), the same steps and captures, and DeleteUserPool at
the end. It does not compare snapshots or check contracts (the harness does more work, not less).

boto3 is configured like the harness's client: no retries, no client-side parameter validation
(scenarios send invalid input on purpose), one shared client with a connection pool. `raw:` steps
go over one keep-alive http.client connection per thread. `--jobs N` runs N scenarios at once in
threads (each in its own pool, as the harness does); `--jobs 1` is plain sequential boto3.

Usage: boto3_suite.py --endpoint http://127.0.0.1:PORT [--jobs N] [scenario files or folders]
Prints one JSON line: {"scenarios": n, "calls": n, "errors": n, "wall_s": s}.
"""

import argparse
import base64
import hashlib
import hmac
import json
import pathlib
import re
import struct
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from urllib.parse import urlparse

import boto3
from botocore import xform_name
import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REGION = "us-east-1"
KEY, SECRET = "AKIDCOGNITODRIFT0000", "cognito-drift-emulator-secret"
TARGET_PREFIX = "AWSCognitoIdentityProviderService"
NO_AUTH = {
    "GetUser", "SetUserMFAPreference", "InitiateAuth", "RespondToAuthChallenge", "SignUp",
    "AssociateSoftwareToken", "VerifySoftwareToken", "GlobalSignOut", "RevokeToken",
    "ChangePassword", "ConfirmSignUp", "ForgotPassword", "ConfirmForgotPassword",
}
VAR = re.compile(r"\$\{([^}]+)\}")


def render(value, vars):
    """`${x}` alone keeps the bound value's type; inside text it is substituted as text."""
    if isinstance(value, str):
        whole = VAR.fullmatch(value)
        if whole:
            return vars.get(whole.group(1))
        return VAR.sub(lambda m: str(vars.get(m.group(1), "")), value)
    if isinstance(value, list):
        return [render(v, vars) for v in value]
    if isinstance(value, dict):
        return {k: render(v, vars) for k, v in value.items()}
    return value


def select(body, path):
    """The small JSONPath subset scenarios use: `$.a.b[0]`."""
    cur = body
    for name, index in re.findall(r"\.([A-Za-z0-9_]+)|\[(\d+)\]", path):
        try:
            cur = cur[name] if name else cur[int(index)]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def totp(secret, step):
    key = base64.b32decode(secret.upper().rstrip("=") + "=" * (-len(secret.rstrip("=")) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Runner:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.client = boto3.client(
            "cognito-idp", endpoint_url=endpoint, region_name=REGION,
            aws_access_key_id=KEY, aws_secret_access_key=SECRET,
            config=Config(retries={"total_max_attempts": 1}, parameter_validation=False,
                          max_pool_connections=64))
        self.local = threading.local()
        self.lock = threading.Lock()
        self.calls = 0
        self.errors = 0

    def call(self, op, params):
        with self.lock:
            self.calls += 1
        try:
            return 200, getattr(self.client, xform_name(op))(**params)
        except ClientError as e:
            return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response

    def raw(self, step, vars):
        with self.lock:
            self.calls += 1
        op = step.get("operation")
        target = render(step["target"], vars) if "target" in step else (
            f"{TARGET_PREFIX}.{op}" if op else None)
        if "json" in step:
            body = json.dumps(render(step["json"], vars), separators=(",", ":")).encode()
        elif "body_base64" in step:
            body = base64.b64decode(step["body_base64"])
        else:
            body = render(step.get("body", ""), vars).encode()
        headers = {"content-type": "application/x-amz-json-1.1"}
        if target:
            headers["x-amz-target"] = target
        for k, v in (step.get("headers") or {}).items():
            headers = {n: x for n, x in headers.items() if n.lower() != k.lower()}
            headers[k] = render(v, vars)
        if step.get("sign", op is not None and op not in NO_AUTH):
            req = AWSRequest("POST", self.endpoint + "/", data=body, headers=headers)
            SigV4Auth(Credentials(KEY, SECRET), "cognito-idp", REGION).add_auth(req)
            headers = dict(req.headers.items())
        conn = getattr(self.local, "conn", None)
        if conn is None:
            u = urlparse(self.endpoint)
            conn = self.local.conn = HTTPConnection(u.hostname, u.port, timeout=30)
        conn.request("POST", "/", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data) if data else None
        except ValueError:
            return resp.status, None

    def scenario(self, path):
        doc = yaml.safe_load(pathlib.Path(path).read_text())
        if "moto" not in doc.get("targets", ["moto"]):
            return
        fx = doc.get("fixtures") or {}
        pool, client_fx, users = fx.get("pool") or {}, fx.get("client") or {}, fx.get("users") or {}
        secret = uuid.uuid4().hex
        vars = {"region": REGION, "pool.name": f"cognito-drift-boto3-{doc['name']}"[:128]}
        last_step = {}
        try:
            if not self.setup(pool, client_fx, users, secret, vars, last_step):
                return
            for step in doc.get("steps") or []:
                for name in sorted(set(VAR.findall(json.dumps(step.get("input") or step.get("raw"))))):
                    if name.endswith(".totp_code"):
                        vars[name] = self.fresh_code(vars[name[:-5] + "_secret"], last_step)
                if "raw" in step:
                    status, body = self.raw(step["raw"], vars)
                else:
                    status, body = self.call(step["call"], render(step.get("input") or {}, vars))
                for cap, path in (step.get("capture") or {}).items():
                    v = select(body, path)
                    if v is not None:
                        vars[cap] = v
        finally:
            if "pool.id" in vars:
                self.call("DeleteUserPool", {"UserPoolId": vars["pool.id"]})

    def setup(self, pool, client_fx, users, secret, vars, last_step):
        """The harness's plan (plan/setup.rs), call for call; False after a refused call."""
        def ok(result):
            status, body = result
            if status >= 300:
                with self.lock:
                    self.errors += 1
                return None
            return body

        body = ok(self.call("CreateUserPool", {"PoolName": vars["pool.name"],
                                               **({"UserPoolTier": pool["tier"]} if "tier" in pool else {})}))
        if body is None:
            return False
        vars["pool.id"] = body["UserPool"]["Id"]
        mfa = pool.get("mfa", "OFF")
        if mfa != "OFF" or pool.get("software_token_mfa") or "sms_mfa" in pool or "email_mfa" in pool:
            cfg = {"UserPoolId": vars["pool.id"], "MfaConfiguration": mfa,
                   "SoftwareTokenMfaConfiguration": {"Enabled": bool(pool.get("software_token_mfa"))}}
            if "sms_mfa" in pool:
                sms = pool["sms_mfa"]
                sc = {"SnsCallerArn": sms["sns_caller_arn"],
                      **({"ExternalId": str(sms["external_id"])} if "external_id" in sms else {})}
                cfg["SmsMfaConfiguration"] = {"SmsConfiguration": sc, **(
                    {"SmsAuthenticationMessage": sms["message"]} if "message" in sms else {})}
            if "email_mfa" in pool:
                em = pool["email_mfa"]
                cfg["EmailMfaConfiguration"] = {k2: em[k] for k, k2 in
                                                (("message", "Message"), ("subject", "Subject")) if k in em}
            if ok(self.call("SetUserPoolMfaConfig", cfg)) is None:
                return False
        flows = client_fx.get("auth_flows", ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
        body = ok(self.call("CreateUserPoolClient", {"UserPoolId": vars["pool.id"],
                                                     "ClientName": "cognito-drift",
                                                     "ExplicitAuthFlows": flows}))
        if body is None:
            return False
        vars["client.id"] = body["UserPoolClient"]["ClientId"]
        for name, u in users.items():
            u = u or {}
            password = f"Cd1!{hashlib.sha256((secret + name + 'p').encode()).hexdigest()[:16]}"
            temporary = f"Cd1!{hashlib.sha256((secret + name + 't').encode()).hexdigest()[:16]}"
            vars.update({f"{name}.username": name, f"{name}.password": password,
                         f"{name}.temporary_password": temporary})
            attrs = [{"Name": k, "Value": str(v)} for k, v in (u.get("attributes") or {}).items()]
            pool_user = {"UserPoolId": vars["pool.id"], "Username": name}
            status = u.get("status", "confirmed")
            if status == "unconfirmed":
                calls = [("SignUp", {"ClientId": vars["client.id"], "Username": name,
                                     "Password": password, "UserAttributes": attrs})]
            else:
                calls = [("AdminCreateUser", {**pool_user, "TemporaryPassword": temporary,
                                              "MessageAction": "SUPPRESS", "UserAttributes": attrs})]
                if status == "confirmed":
                    calls.append(("AdminSetUserPassword", {**pool_user, "Password": password,
                                                           "Permanent": True}))
            for op, params in calls:
                if ok(self.call(op, params)) is None:
                    return False
            body = ok(self.call("AdminGetUser", pool_user))
            if body is None:
                return False
            vars[f"{name}.sub"] = next((a["Value"] for a in body.get("UserAttributes", [])
                                        if a["Name"] == "sub"), None)
            if u.get("sign_in"):
                body = ok(self.call("InitiateAuth", {
                    "ClientId": vars["client.id"], "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": name, "PASSWORD": password}}))
                if body is None or "AuthenticationResult" not in body:
                    return False
                r = body["AuthenticationResult"]
                vars.update({f"{name}.access_token": r["AccessToken"],
                             f"{name}.id_token": r["IdToken"],
                             f"{name}.refresh_token": r["RefreshToken"]})
            totp_mode = u.get("totp", "none")
            if totp_mode != "none":
                body = ok(self.call("AssociateSoftwareToken",
                                    {"AccessToken": vars[f"{name}.access_token"]}))
                if body is None:
                    return False
                vars[f"{name}.totp_secret"] = body["SecretCode"]
            if totp_mode == "verified":
                code = self.fresh_code(vars[f"{name}.totp_secret"], last_step)
                if ok(self.call("VerifySoftwareToken", {
                        "AccessToken": vars[f"{name}.access_token"], "UserCode": code,
                        "FriendlyDeviceName": "cognito-drift"})) is None:
                    return False
        return True

    @staticmethod
    def fresh_code(secret, last_step):
        """A code from a 30 s step not used before for this secret (as run/totp.rs does)."""
        while True:
            now = time.time()
            step = int(now) // 30
            if last_step.get(secret, -1) >= step:
                time.sleep((step + 1) * 30 - now + 0.05)
                continue
            last_step[secret] = step
            return totp(secret, step)


def discover(paths):
    files = []
    for p in map(pathlib.Path, paths):
        files += sorted(p.rglob("*.y*ml")) if p.is_dir() else [p]
    return sorted(set(files))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("paths", nargs="*", default=["scenarios"])
    args = ap.parse_args()
    if urlparse(args.endpoint).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback endpoints only")
    started = time.monotonic()
    runner = Runner(args.endpoint)
    files = discover(args.paths)
    if args.jobs <= 1:
        for f in files:
            runner.scenario(f)
    else:
        with ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(runner.scenario, files))
    print(json.dumps({"scenarios": len(files), "calls": runner.calls, "errors": runner.errors,
                      "wall_s": time.monotonic() - started}))


if __name__ == "__main__":
    main()
