/* test-sigv4.c — ttd-sigv4 against AWS's published S3 SigV4 examples
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected values: Amazon S3 API Reference, "Signature Calculations for the
 * Authorization Header: Transferring Payload in a Single Chunk (AWS Signature
 * Version 4)", section "Examples: Signature Calculations",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */

#include "ttd-sigv4.h"

#include <string.h>

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define EXAMPLE_DATE "20130524T000000Z"
#define CREDENTIAL "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "

static TtdSigV4Request
example_request (void)
{
  TtdSigV4Request req = {
    .method = "GET",
    .host = "examplebucket.s3.amazonaws.com",
    .path = "/",
    .payload_sha256 = EMPTY_SHA256,
    .region = "us-east-1",
    .access_key_id = "AKIAIOSFODNN7EXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };
  return req;
}

static void
check_signature (TtdSigV4Request *req,
                 const char      *expected_authorization)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
  g_autoptr(TtdSigV4Headers) headers = NULL;

  req->time = time;
  headers = ttd_sigv4_sign (req);
  g_assert_cmpstr (headers->authorization, ==, expected_authorization);
  g_assert_cmpstr (headers->amz_date, ==, EXAMPLE_DATE);
  g_assert_cmpstr (headers->content_sha256, ==, req->payload_sha256);
  g_assert_null (headers->security_token);
}

static void
test_get_object (void)
{
  const char *headers[] = { "Range", "bytes=0-9", NULL };
  TtdSigV4Request req = example_request ();
  g_autofree char *canonical = NULL;
  g_autofree char *to_sign = NULL;

  req.path = "/test.txt";
  req.headers = headers;
  canonical = ttd_sigv4_canonical_request (&req, EXAMPLE_DATE);
  g_assert_cmpstr (canonical, ==,
                   "GET\n/test.txt\n\n"
                   "host:examplebucket.s3.amazonaws.com\n"
                   "range:bytes=0-9\n"
                   "x-amz-content-sha256:" EMPTY_SHA256 "\n"
                   "x-amz-date:20130524T000000Z\n\n"
                   "host;range;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256);
  to_sign = ttd_sigv4_string_to_sign (&req, EXAMPLE_DATE, canonical);
  g_assert_cmpstr (to_sign, ==,
                   "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                   "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  check_signature (&req, CREDENTIAL "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                   "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

static void
test_put_object (void)
{
  const char *headers[] = { "Date", "Fri, 24 May 2013 00:00:00 GMT",
                            "x-amz-storage-class", "REDUCED_REDUNDANCY", NULL };
  const char *body = "Welcome to Amazon S3.";
  g_autofree char *body_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
  TtdSigV4Request req = example_request ();
  g_autofree char *canonical = NULL;

  g_assert_cmpstr (body_sha256, ==, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  req.method = "PUT";
  req.path = "/test$file.text";
  req.headers = headers;
  req.payload_sha256 = body_sha256;
  canonical = ttd_sigv4_canonical_request (&req, EXAMPLE_DATE);
  g_assert_true (g_str_has_prefix (canonical, "PUT\n/test%24file.text\n\n"
                                   "date:Fri, 24 May 2013 00:00:00 GMT\n"
                                   "host:examplebucket.s3.amazonaws.com\n"));
  check_signature (&req, CREDENTIAL "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                   "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

static void
test_get_lifecycle (void)
{
  const char *query[] = { "lifecycle", "", NULL };
  TtdSigV4Request req = example_request ();
  g_autofree char *canonical = NULL;

  req.query = query;
  canonical = ttd_sigv4_canonical_request (&req, EXAMPLE_DATE);
  g_assert_true (g_str_has_prefix (canonical, "GET\n/\nlifecycle=\nhost:"));
  check_signature (&req, CREDENTIAL "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                   "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

static void
test_list_objects (void)
{
  /* Given out of order on purpose: the signer sorts them. */
  const char *query[] = { "prefix", "J", "max-keys", "2", NULL };
  TtdSigV4Request req = example_request ();
  g_autofree char *canonical = NULL;

  req.query = query;
  canonical = ttd_sigv4_canonical_request (&req, EXAMPLE_DATE);
  g_assert_true (g_str_has_prefix (canonical, "GET\n/\nmax-keys=2&prefix=J\nhost:"));
  check_signature (&req, CREDENTIAL "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                   "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

static void
test_session_token_and_region (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
  TtdSigV4Request req = example_request ();
  g_autoptr(TtdSigV4Headers) headers = NULL;
  g_autofree char *canonical = NULL;

  req.region = NULL;
  req.session_token = "token";
  req.time = time;
  canonical = ttd_sigv4_canonical_request (&req, EXAMPLE_DATE);
  g_assert_nonnull (strstr (canonical, "\nx-amz-security-token:token\n"));
  headers = ttd_sigv4_sign (&req);
  g_assert_nonnull (strstr (headers->authorization, "/20130524/auto/s3/aws4_request, "
                            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
  g_assert_cmpstr (headers->security_token, ==, "token");
  g_assert_null (strstr (headers->authorization, req.secret_access_key));
}

static void
test_uri_encode (void)
{
  g_autofree char *path = ttd_sigv4_uri_encode ("/a b/c~d/%41/é+", TRUE);
  g_autofree char *value = ttd_sigv4_uri_encode ("a/b=c", FALSE);

  g_assert_cmpstr (path, ==, "/a%20b/c~d/%2541/%C3%A9%2B");
  g_assert_cmpstr (value, ==, "a%2Fb%3Dc");
}

static void
test_object_url (void)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  url = ttd_sigv4_object_url ("http://127.0.0.1:9000", "photos", "a b.jpg", FALSE, &host, &path);
  g_assert_cmpstr (url, ==, "http://127.0.0.1:9000/photos/a%20b.jpg");
  g_assert_cmpstr (host, ==, "127.0.0.1:9000");
  g_assert_cmpstr (path, ==, "/photos/a b.jpg");
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&host, g_free);
  g_clear_pointer (&path, g_free);

  url = ttd_sigv4_object_url ("https://s3.amazonaws.com:443", "examplebucket", "test.txt", TRUE, &host, &path);
  g_assert_cmpstr (url, ==, "https://examplebucket.s3.amazonaws.com/test.txt");
  g_assert_cmpstr (host, ==, "examplebucket.s3.amazonaws.com");
  g_assert_cmpstr (path, ==, "/test.txt");

  g_assert_null (ttd_sigv4_object_url ("ftp://example.com", "b", "k", FALSE, NULL, NULL));
  g_assert_null (ttd_sigv4_object_url ("not a url", "b", "k", FALSE, NULL, NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sigv4/aws-example/get-object", test_get_object);
  g_test_add_func ("/sigv4/aws-example/put-object", test_put_object);
  g_test_add_func ("/sigv4/aws-example/get-lifecycle", test_get_lifecycle);
  g_test_add_func ("/sigv4/aws-example/list-objects", test_list_objects);
  g_test_add_func ("/sigv4/session-token-and-region", test_session_token_and_region);
  g_test_add_func ("/sigv4/uri-encode", test_uri_encode);
  g_test_add_func ("/sigv4/object-url", test_object_url);
  return g_test_run ();
}
