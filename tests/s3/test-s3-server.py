#!/usr/bin/python3
# test-s3-server.py — the S3 test server is as strict as S3: botocore's own
# client works against it, and what S3 refuses is refused, with S3's codes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import http.client as httpclient
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from ttdtest import S3Server, Tap, http  # noqa: E402

import botocore.session  # noqa: E402
from botocore.auth import S3SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

tap = Tap()
server = S3Server(buckets=["photos"])
session = botocore.session.get_session()


def client(secret=None, key_id=None, region="auto", token=None):
    return session.create_client(
        "s3", endpoint_url=server.url, region_name=region,
        aws_access_key_id=key_id or server.access_key_id,
        aws_secret_access_key=secret or server.secret_access_key, aws_session_token=token,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


def code_of(call):
    try:
        call()
        return None
    except ClientError as error:
        return error.response["Error"]["Code"]


def raw(method, path, body=b"", tamper=None, host=None, secret=None):
    """A request signed by botocore, sent with http.client (optionally changed after signing)."""
    host = host or f"127.0.0.1:{server.port}"
    request = AWSRequest(method=method, url=f"http://{host}{path}", data=body,
                         headers={"Host": host})
    S3SigV4Auth(Credentials(server.access_key_id, secret or server.secret_access_key), "s3", "auto") \
        .add_auth(request)
    headers = dict(request.headers.items())
    if tamper:
        body = tamper
    connection = httpclient.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


try:
    s3 = client()
    s3.put_object(Bucket="photos", Key="a/one.jpg", Body=b"\xff\xd8photo\xff\xd9", ContentType="image/jpeg")
    tap.eq(s3.get_object(Bucket="photos", Key="a/one.jpg")["Body"].read(), b"\xff\xd8photo\xff\xd9",
           "botocore's client puts and gets an object (path-style, region auto)")
    tap.eq(server.objects(), {"photos": ["a/one.jpg"]}, "the admin view lists it")
    status, _, body = http("GET", server.public_url() + "a/one.jpg")
    tap.ok(status == 200 and body == b"\xff\xd8photo\xff\xd9", "the public address serves the same bytes")
    status, headers, _ = http("GET", f"{server.url}/_public-redirect/photos/a/one.jpg", follow=False)
    tap.eq(status, 302, "the redirecting public address redirects")
    status, _, _ = http("GET", f"{server.url}/_public-forbidden/photos/a/one.jpg")
    tap.eq(status, 403, "the forbidden public address refuses")

    tap.eq(code_of(lambda: client(region="us-east-1").head_object(Bucket="photos", Key="a/one.jpg")), None,
           "another signing region verifies too (the scope is the client's)")
    tap.eq(code_of(lambda: client(secret="wrong-secret").put_object(Bucket="photos", Key="x", Body=b"x")),
           "SignatureDoesNotMatch", "a wrong secret access key: SignatureDoesNotMatch")
    tap.eq(code_of(lambda: client(key_id="AKIDNOBODY").put_object(Bucket="photos", Key="x", Body=b"x")),
           "InvalidAccessKeyId", "an unknown access key id: InvalidAccessKeyId")
    tap.eq(code_of(lambda: s3.put_object(Bucket="nobucket", Key="x", Body=b"x")),
           "NoSuchBucket", "a missing bucket: NoSuchBucket")
    tap.eq(code_of(lambda: s3.get_object(Bucket="photos", Key="missing")), "NoSuchKey",
           "a missing key: NoSuchKey")

    server.set_clock_offset(16 * 60)
    tap.eq(code_of(lambda: s3.put_object(Bucket="photos", Key="x", Body=b"x")), "RequestTimeTooSkewed",
           "a clock 16 minutes off: RequestTimeTooSkewed")
    server.set_clock_offset(-14 * 60)
    tap.eq(code_of(lambda: s3.put_object(Bucket="photos", Key="x", Body=b"x")), None,
           "a clock 14 minutes off is accepted")
    server.set_clock_offset(0)

    status, body = raw("PUT", "/photos/t.jpg", b"original body", tamper=b"tampered body")
    tap.ok(status == 400 and b"<Code>XAmzContentSHA256Mismatch</Code>" in body,
           "a tampered body with the original x-amz-content-sha256: XAmzContentSHA256Mismatch", body)
    status, body = raw("PUT", "/photos/t.jpg", b"signed body")
    tap.eq(status, 200, "the same request untampered is stored")
    status, body = raw("PUT", "/t.jpg", b"virtual", host=f"photos.localhost:{server.port}")
    tap.eq(status, 200, "virtual-hosted addressing (Host: photos.localhost) is verified and stored")
    tap.ok("t.jpg" in server.objects()["photos"], "…under the bucket named by the host")

    status, _, body = http("PUT", f"{server.url}/photos/u.jpg", body=b"x")
    tap.ok(status == 403 and b"<Code>AccessDenied</Code>" in body, "an unsigned request: AccessDenied")
    status, _, body = http("PUT", f"{server.url}/photos/u.jpg", body=b"x",
                           headers={"Authorization": "AWS4-HMAC-SHA256 nonsense"})
    tap.ok(status == 400 and b"AuthorizationHeaderMalformed" in body,
           "a malformed Authorization: AuthorizationHeaderMalformed")

    seen = server.requests()
    tap.ok(all(r["sha256"] for r in seen if r["authorization_present"] and r["error"] != "AuthorizationHeaderMalformed"),
           "every signed request is logged with its x-amz-content-sha256")
    tap.ok({"SignatureDoesNotMatch", "InvalidAccessKeyId", "RequestTimeTooSkewed", "NoSuchBucket",
            "XAmzContentSHA256Mismatch", "AccessDenied"} <= {r["error"] for r in seen},
           "the refusals are in the request log")
    s3.delete_object(Bucket="photos", Key="a/one.jpg")
    tap.ok("a/one.jpg" not in server.objects()["photos"], "DELETE removes the object")
    server.stop()

    strict = S3Server(buckets=["photos"], session_token="session-token-abc")
    server = strict
    tap.eq(code_of(lambda: client().put_object(Bucket="photos", Key="x", Body=b"x")), "InvalidToken",
           "a required session token that is missing: InvalidToken")
    tap.eq(code_of(lambda: client(token="other-token").put_object(Bucket="photos", Key="x", Body=b"x")),
           "InvalidToken", "a wrong session token: InvalidToken")
    tap.eq(code_of(lambda: client(token="session-token-abc").put_object(Bucket="photos", Key="x", Body=b"x")),
           None, "the right session token is accepted")
    tap.ok(hashlib.sha256(b"x").hexdigest() in [r["sha256"] for r in strict.requests()],
           "the payload hash is the body's SHA-256")
finally:
    server.stop()

tap.done()
