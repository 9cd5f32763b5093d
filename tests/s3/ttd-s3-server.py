#!/usr/bin/python3
# ttd-s3-server.py — a small, strict S3-compatible server for the tests.
#
# Every request's AWS Signature Version 4 is recomputed with AWS's own SDK
# (botocore.auth.S3SigV4Auth, Debian's python3-botocore) and compared; what
# S3 refuses is refused with S3's XML errors: unsigned (AccessDenied), a
# malformed Authorization (AuthorizationHeaderMalformed), an unknown key
# (InvalidAccessKeyId), a wrong signature (SignatureDoesNotMatch), a clock
# more than 15 minutes off (RequestTimeTooSkewed), a body that does not match
# x-amz-content-sha256 (XAmzContentSHA256Mismatch), a missing or wrong
# session token (InvalidToken), an unknown bucket (NoSuchBucket), a missing
# object (NoSuchKey). Path-style and virtual-hosted-style addressing.
#
# Unauthenticated, for TikTok's pull and the tests:
#   GET /_public/BUCKET/KEY            the object (public read)
#   GET /_public-redirect/BUCKET/KEY   302 to /_public/…
#   GET /_public-forbidden/BUCKET/KEY  403
#   GET /_admin/objects                {bucket: [keys]}
#   GET /_admin/requests               every S3 request seen
#   POST /_admin/clock?offset=SECONDS  shift the server's clock
#   POST /_admin/reset-requests
#
# Usage: ttd-s3-server.py --access-key-id ID --secret-access-key SECRET
#          --bucket NAME [--bucket NAME…] [--session-token T] [--port N]
# Prints "PORT n" first. Secrets are never printed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import datetime
import hashlib
import hmac
import json
import re
import sys
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SKEW_LIMIT = 15 * 60
AUTH_RE = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/s3/aws4_request,\s*"
                     r"SignedHeaders=([a-z0-9;\-]+),\s*Signature=([0-9a-f]{64})$")


class State:
    def __init__(self, keys, buckets, session_token):
        self.keys = keys                      # access key id -> secret
        self.buckets = {name: {} for name in buckets}
        self.session_token = session_token
        self.offset = 0
        self.requests = []
        self.lock = threading.Lock()

    def now(self):
        return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=self.offset)


class S3Error(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TtdS3/1"

    def log_message(self, fmt, *args):
        pass

    # --- plumbing

    def reply(self, status, body=b"", content_type=None, headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_json(self, value):
        self.reply(200, json.dumps(value).encode(), "application/json")

    def reply_error(self, error, resource):
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message>"
                "<Resource>%s</Resource><RequestId>%s</RequestId></Error>" %
                (error.code, error.message, resource, uuid.uuid4().hex[:16])).encode()
        self.reply(error.status, body, "application/xml")

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    @property
    def state(self):
        return self.server.state

    # --- routing

    def do_GET(self):
        self.route()

    def do_HEAD(self):
        self.route()

    def do_PUT(self):
        self.route()

    def do_DELETE(self):
        self.route()

    def do_POST(self):
        self.route()

    def route(self):
        split = urllib.parse.urlsplit(self.path)
        if split.path.startswith("/_admin/"):
            return self.admin(split)
        for prefix in ("/_public/", "/_public-redirect/", "/_public-forbidden/"):
            if split.path.startswith(prefix) and self.command in ("GET", "HEAD"):
                return self.public(prefix, urllib.parse.unquote(split.path[len(prefix):]))
        self.s3(split)

    def admin(self, split):
        what = split.path[len("/_admin/"):]
        self.body()
        with self.state.lock:
            if what == "objects":
                return self.reply_json({b: sorted(objs) for b, objs in self.state.buckets.items()})
            if what == "requests":
                return self.reply_json(self.state.requests)
            if what == "clock" and self.command == "POST":
                query = urllib.parse.parse_qs(split.query)
                self.state.offset = int(query.get("offset", ["0"])[0])
                return self.reply_json({"offset": self.state.offset})
            if what == "reset-requests" and self.command == "POST":
                self.state.requests = []
                return self.reply_json({})
        self.reply(404, b"unknown admin call\n", "text/plain")

    def public(self, prefix, rest):
        bucket, _, key = rest.partition("/")
        if prefix == "/_public-redirect/":
            return self.reply(302, b"", headers={"Location": "/_public/" + urllib.parse.quote(rest)})
        if prefix == "/_public-forbidden/":
            return self.reply_error(S3Error(403, "AccessDenied", "Access Denied"), "/" + rest)
        with self.state.lock:
            obj = self.state.buckets.get(bucket, {}).get(key)
        if obj is None:
            return self.reply_error(S3Error(404, "NoSuchKey", "The specified key does not exist."), "/" + rest)
        self.reply(200, obj[0], obj[1])

    # --- S3 proper

    def address(self, split):
        """(bucket, key, addressing) from the Host header and the path."""
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = urllib.parse.unquote(split.path)
        for name in self.state.buckets:
            if host.startswith(name + ".") and host != name:
                return name, path[1:], "virtual"
        first, _, key = path[1:].partition("/")
        return first, key, "path"

    def verify(self, body, split):
        headers = self.headers
        authorization = headers.get("Authorization")
        if not authorization:
            raise S3Error(403, "AccessDenied", "Access Denied")
        match = AUTH_RE.match(authorization.strip())
        if not match:
            raise S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.")
        key_id, day, region, signed_names, signature = match.groups()
        secret = self.state.keys.get(key_id)
        if secret is None:
            raise S3Error(403, "InvalidAccessKeyId",
                          "The AWS Access Key Id you provided does not exist in our records.")

        content_sha256 = headers.get("x-amz-content-sha256")
        if content_sha256 is None:
            raise S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        amz_date = headers.get("x-amz-date")
        try:
            when = datetime.datetime.strptime(amz_date or "", "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise S3Error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
        if day != amz_date[:8]:
            raise S3Error(400, "AuthorizationHeaderMalformed", "The credential date does not match x-amz-date.")
        if abs((self.state.now() - when).total_seconds()) > SKEW_LIMIT:
            raise S3Error(403, "RequestTimeTooSkewed",
                          "The difference between the request time and the current time is too large.")

        names = signed_names.split(";")
        for required in ("host", "x-amz-content-sha256", "x-amz-date"):
            if required not in names:
                raise S3Error(400, "AuthorizationHeaderMalformed", f"{required} must be signed.")
        if headers.get("x-amz-security-token") is not None and "x-amz-security-token" not in names:
            raise S3Error(400, "AuthorizationHeaderMalformed", "x-amz-security-token must be signed.")

        # AWS's own SDK recomputes the signature over what was signed.
        signed = {}
        for name in names:
            value = headers.get(name)
            if value is None:
                raise S3Error(403, "SignatureDoesNotMatch", f"Signed header {name} is missing.")
            signed[name] = value
        url = "http://%s%s" % (signed["host"], urllib.parse.unquote(split.path))
        if split.query:
            url += "?" + split.query
        request = AWSRequest(method=self.command, url=url, headers=signed, data=body)
        request.context["timestamp"] = amz_date
        token = headers.get("x-amz-security-token")
        auth = S3SigV4Auth(Credentials(key_id, secret, token), "s3", region)
        canonical = auth.canonical_request(request)
        expected = auth.signature(auth.string_to_sign(request, canonical), request)
        if not hmac.compare_digest(expected, signature):
            raise S3Error(403, "SignatureDoesNotMatch",
                          "The request signature we calculated does not match the signature you provided.")

        if self.state.session_token is not None and token != self.state.session_token:
            raise S3Error(403, "InvalidToken", "The provided token is malformed or otherwise invalid.")
        if content_sha256 != "UNSIGNED-PAYLOAD" and content_sha256 != hashlib.sha256(body).hexdigest():
            raise S3Error(400, "XAmzContentSHA256Mismatch",
                          "The provided 'x-amz-content-sha256' header does not match what was computed.")

    def s3(self, split):
        body = self.body()
        bucket, key, addressing = self.address(split)
        entry = {"method": self.command, "bucket": bucket, "key": key, "addressing": addressing,
                 "sha256": self.headers.get("x-amz-content-sha256"),
                 "security_token": self.headers.get("x-amz-security-token") is not None,
                 "authorization_present": self.headers.get("Authorization") is not None,
                 "status": None, "error": None}
        try:
            self.verify(body, split)
            with self.state.lock:
                objects = self.state.buckets.get(bucket)
                if objects is None:
                    raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist.")
                if not key:
                    raise S3Error(405, "MethodNotAllowed", "Bucket operations are not supported here.")
                if self.command == "PUT":
                    objects[key] = (body, self.headers.get("Content-Type") or "binary/octet-stream")
                    status, answer, headers = 200, b"", {"ETag": '"%s"' % hashlib.md5(body).hexdigest()}
                elif self.command == "DELETE":
                    objects.pop(key, None)
                    status, answer, headers = 204, b"", {}
                elif self.command in ("GET", "HEAD"):
                    if key not in objects:
                        raise S3Error(404, "NoSuchKey", "The specified key does not exist.")
                    status, answer, headers = 200, objects[key][0], {"Content-Type": objects[key][1]}
                else:
                    raise S3Error(405, "MethodNotAllowed", "The method is not allowed.")
            entry["status"] = status
            self.record(entry)
            self.reply(status, answer, headers=headers)
        except S3Error as error:
            entry["status"], entry["error"] = error.status, error.code
            self.record(entry)
            self.reply_error(error, split.path)

    def record(self, entry):
        with self.state.lock:
            self.state.requests.append(entry)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--secret-access-key", required=True)
    parser.add_argument("--bucket", action="append", default=[])
    parser.add_argument("--session-token")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State({args.access_key_id: args.secret_access_key}, args.bucket, args.session_token)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
