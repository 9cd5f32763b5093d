/* test-photo-host-s3.c — the S3-compatible photo host: its settings, the
 * requests it signs, and the sentence for each refusal, against a small
 * S3-like server in a thread. (AWS's own SDK checks the signatures in
 * tests/integration/test-photos-s3.py.)
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ttd-core.h"
#include "ttd-photo-host-private.h"

#define KEY_ID "AKIDTESTPHOTOS01"
#define SECRET "s3cr3t/T35T+photo-host-k3y"

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *base;         /* http://127.0.0.1:PORT */
  GMutex        lock;
  GHashTable   *objects;      /* "/bucket/key" → GBytes */
  GPtrArray    *requests;     /* "METHOD PATH" */
  GPtrArray    *authorizations;
  GPtrArray    *content_sha256;
  GPtrArray    *tokens;
  char         *refuse_code;  /* answer every S3 request with this error */
  guint         refuse_status;
  guint         public_status; /* 0: serve; else answer GET /public/ with it */
  GCond         ready;
  gboolean      started;
} Fixture;

static void
record (GPtrArray  *array,
        const char *value)
{
  g_ptr_array_add (array, g_strdup (value ? value : ""));
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);

  if (g_str_has_prefix (path, "/public/"))
    {
      g_autofree char *object = g_strconcat ("/", path + strlen ("/public/"), NULL);
      GBytes *bytes = g_hash_table_lookup (f->objects, object);

      if (f->public_status == SOUP_STATUS_FOUND)
        {
          soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/elsewhere");
          return;
        }
      if (f->public_status != 0 || bytes == NULL)
        {
          soup_server_message_set_status (msg, f->public_status ? f->public_status : 404, NULL);
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      return;
    }

  g_ptr_array_add (f->requests, g_strdup_printf ("%s %s", method, path));
  record (f->authorizations, soup_message_headers_get_one (headers, "Authorization"));
  record (f->content_sha256, soup_message_headers_get_one (headers, "x-amz-content-sha256"));
  record (f->tokens, soup_message_headers_get_one (headers, "x-amz-security-token"));

  if (f->refuse_code != NULL)
    {
      g_autofree char *xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                              "<Error><Code>%s</Code><Message>no</Message>"
                                              "<RequestId>1</RequestId></Error>", f->refuse_code);
      soup_server_message_set_status (msg, f->refuse_status, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, xml, strlen (xml));
      return;
    }

  if (g_str_equal (method, "PUT"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

      g_hash_table_replace (f->objects, g_strdup (path), g_bytes_ref (bytes));
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (method, "DELETE"))
    {
      g_hash_table_remove (f->objects, path);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

static gpointer
server_thread (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (f->context);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&f->lock);
  f->started = TRUE;
  g_cond_signal (&f->ready);
  g_mutex_unlock (&f->lock);

  g_main_loop_run (f->loop);
  g_clear_object (&f->server);
  g_main_context_pop_thread_default (f->context);
  return NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_mutex_init (&f->lock);
  g_cond_init (&f->ready);
  f->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  f->requests = g_ptr_array_new_with_free_func (g_free);
  f->authorizations = g_ptr_array_new_with_free_func (g_free);
  f->content_sha256 = g_ptr_array_new_with_free_func (g_free);
  f->tokens = g_ptr_array_new_with_free_func (g_free);
  f->context = g_main_context_new ();
  f->loop = g_main_loop_new (f->context, FALSE);
  f->thread = g_thread_new ("s3", server_thread, f);

  g_mutex_lock (&f->lock);
  while (!f->started)
    g_cond_wait (&f->ready, &f->lock);
  g_mutex_unlock (&f->lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_main_context_invoke (f->context, quit_cb, f->loop);
  g_thread_join (f->thread);
  g_main_loop_unref (f->loop);
  g_main_context_unref (f->context);
  g_hash_table_unref (f->objects);
  g_ptr_array_unref (f->requests);
  g_ptr_array_unref (f->authorizations);
  g_ptr_array_unref (f->content_sha256);
  g_ptr_array_unref (f->tokens);
  g_free (f->refuse_code);
  g_free (f->base);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->ready);
}

static TtdConfig *
s3_config (Fixture *f)
{
  TtdConfig *config = ttd_config_new ();

  ttd_config_set (&config->photo_host_type, TTD_PHOTO_HOST_S3);
  ttd_config_set (&config->s3_endpoint, f != NULL ? f->base : "https://acct.r2.cloudflarestorage.com");
  ttd_config_set (&config->s3_bucket, "photos");
  ttd_config_set (&config->s3_prefix, "/tiktok");
  ttd_config_set (&config->s3_access_key_id, KEY_ID);
  ttd_config_set (&config->s3_secret_access_key, SECRET);
  if (f != NULL)
    {
      g_autofree char *public = g_strconcat (f->base, "/public/photos/", NULL);
      ttd_config_set (&config->photo_public_url, public);
    }
  else
    ttd_config_set (&config->photo_public_url, "https://photos.example.com/");
  return config;
}

static char *
host_problem (TtdConfig *config)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdPhotoHost) host = ttd_photo_host_new (config, session, &error);

  g_assert_true ((host == NULL) == (error != NULL));
  return error != NULL ? g_strdup (error->message) : NULL;
}

static void
test_settings (void)
{
  g_autoptr(TtdConfig) config = s3_config (NULL);
  g_autofree char *ok = host_problem (config);
  char *problem;

  g_assert_null (ok);
  g_assert_true (ttd_config_photo_host_configured (config));

  /* no secret: says which key id */
  g_clear_pointer (&config->s3_secret_access_key, g_free);
  problem = host_problem (config);
  g_assert_nonnull (strstr (problem, KEY_ID));
  g_assert_nonnull (strstr (problem, TTD_ENV_S3_SECRET_ACCESS_KEY));
  g_free (problem);
  ttd_config_set (&config->s3_secret_access_key, SECRET);

  /* no bucket */
  g_clear_pointer (&config->s3_bucket, g_free);
  g_assert_false (ttd_config_photo_host_configured (config));
  problem = host_problem (config);
  g_assert_nonnull (strstr (problem, "bucket"));
  g_free (problem);

  /* S3's bucket rules */
  for (const char * const *bad = (const char *[]) { "My_Bucket", "ab", "-photos", "a..b", NULL }; *bad; bad++)
    {
      ttd_config_set (&config->s3_bucket, *bad);
      problem = host_problem (config);
      g_assert_nonnull (problem);
      g_assert_nonnull (strstr (problem, "not a valid S3 bucket name"));
      g_free (problem);
    }
  ttd_config_set (&config->s3_bucket, "photos.2026-creator");
  g_assert_null (host_problem (config));

  /* plain http only to this computer */
  ttd_config_set (&config->s3_endpoint, "http://s3.example.com");
  problem = host_problem (config);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "https"));
  g_free (problem);
  ttd_config_set (&config->s3_endpoint, "https://s3.example.com");

  ttd_config_set (&config->photo_public_url, "http://photos.example.com/");
  problem = host_problem (config);
  g_assert_nonnull (problem);
  g_free (problem);
  ttd_config_set (&config->photo_public_url, "https://photos.example.com/");

  ttd_config_set (&config->s3_addressing, "sideways");
  problem = host_problem (config);
  g_assert_nonnull (strstr (problem, "sideways"));
  g_free (problem);

  ttd_config_set (&config->photo_host_type, "ftp");
  problem = host_problem (config);
  g_assert_nonnull (strstr (problem, "ftp"));
  g_free (problem);
}

static void
test_prefix_and_id (void)
{
  g_autoptr(TtdConfig) config = s3_config (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TtdPhotoHost) host = ttd_photo_host_new (config, session, NULL);
  g_autofree char *url = NULL;
  const struct { const char *in, *out; } prefixes[] = {
    { NULL, "" }, { "", "" }, { "/", "" }, { "tiktok", "tiktok/" },
    { "/tiktok/", "tiktok/" }, { "a/b//", "a/b/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *got = _ttd_s3_normalize_prefix (prefixes[i].in);
      g_assert_cmpstr (got, ==, prefixes[i].out);
    }

  g_assert_nonnull (host);
  g_assert_cmpstr (ttd_photo_host_get_id (host), ==, "s3:https://acct.r2.cloudflarestorage.com/photos/tiktok/");
  url = ttd_photo_host_public_url (host, "ttd-x.jpg");
  g_assert_cmpstr (url, ==, "https://photos.example.com/tiktok/ttd-x.jpg");
}

static void
test_error_code (void)
{
  const struct { const char *xml, *code; } cases[] = {
    { "<?xml version=\"1.0\"?>\n<Error><Code>NoSuchBucket</Code><Message>x</Message></Error>", "NoSuchBucket" },
    { "<Error><Message>x</Message><Code>AccessDenied</Code></Error>", "AccessDenied" },
    { "<Error><Details><Code>Nested</Code></Details></Error>", NULL },
    { "<Error><Code>Bad\x1b[31mCode</Code></Error>", NULL },
    { "<Error><Code>", NULL },
    { "not xml at all", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (cases[i].xml, strlen (cases[i].xml));
      g_autofree char *code = _ttd_s3_error_code (bytes);
      g_assert_cmpstr (code, ==, cases[i].code);
    }
}

static TtdPhotoHost *
fixture_host (Fixture   *f,
              TtdConfig *config)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  TtdPhotoHost *host = ttd_photo_host_new (config, session, &error);

  g_assert_no_error (error);
  return host;
}

static void
test_signed_put_and_delete (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(TtdConfig) config = s3_config (f);
  g_autoptr(TtdPhotoHost) host = NULL;
  g_autoptr(GBytes) photo = g_bytes_new_static ("\xff\xd8 not really a jpeg \xff\xd9", 22);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *day = g_date_time_format (now, "%Y%m%d");
  g_autofree char *credential = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=" KEY_ID "/%s/auto/s3/aws4_request, ", day);
  g_autoptr(GError) error = NULL;

  ttd_config_set (&config->s3_session_token, "session-token-for-test-0123456789");
  host = fixture_host (f, config);

  g_assert_true (ttd_photo_host_put (host, "ttd-0123.jpg", photo, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ttd_photo_host_verify (host, "ttd-0123.jpg", photo, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ttd_photo_host_delete (host, "ttd-0123.jpg", NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpstr (f->requests->pdata[0], ==, "PUT /photos/tiktok/ttd-0123.jpg");
  g_assert_cmpstr (f->requests->pdata[1], ==, "DELETE /photos/tiktok/ttd-0123.jpg");
  g_assert_true (g_str_has_prefix (f->authorizations->pdata[0], credential));
  g_assert_nonnull (strstr (f->authorizations->pdata[0],
                            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="));
  g_assert_null (strstr (f->authorizations->pdata[0], SECRET));
  g_assert_cmpstr (f->content_sha256->pdata[0], ==, sha);
  /* an empty body's hash for the DELETE */
  g_assert_cmpstr (f->content_sha256->pdata[1], ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (f->tokens->pdata[0], ==, "session-token-for-test-0123456789");
  g_assert_cmpuint (g_hash_table_size (f->objects), ==, 0);
}

static char *
refusal (Fixture    *f,
         const char *code,
         guint       status)
{
  g_autoptr(TtdConfig) config = s3_config (f);
  g_autoptr(TtdPhotoHost) host = fixture_host (f, config);
  g_autoptr(GBytes) photo = g_bytes_new_static ("jpeg", 4);
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&f->lock);
  g_free (f->refuse_code);
  f->refuse_code = g_strdup (code);
  f->refuse_status = status;
  g_mutex_unlock (&f->lock);

  g_assert_false (ttd_photo_host_put (host, "ttd-1.jpg", photo, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\n'));
  return g_strdup (error->message);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  const struct { const char *code; guint status; const char *says; } cases[] = {
    { "InvalidAccessKeyId", 403, "does not know the access key ID “" KEY_ID "”" },
    { "SignatureDoesNotMatch", 403, "refused the secret access key" },
    { "RequestTimeTooSkewed", 403, "clock is more than 15 minutes off" },
    { "NoSuchBucket", 404, "no bucket named “photos”" },
    { "AccessDenied", 403, "does not let the key" },
    { "InvalidToken", 400, "session token" },
    { "AuthorizationHeaderMalformed", 400, "region “auto”" },
    { "XAmzContentSHA256Mismatch", 400, "arrived damaged" },
    { "InternalError", 500, "Try again in a moment" },
    { "InvalidBucketState", 409, "(InvalidBucketState, HTTP 409)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = refusal (f, cases[i].code, cases[i].status);

      if (strstr (message, cases[i].says) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].code, message, cases[i].says);
      g_assert_null (strstr (message, SECRET));
    }
}

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TtdConfig) config = s3_config (f);
  g_autoptr(TtdPhotoHost) host = fixture_host (f, config);
  g_autoptr(GError) error = NULL;

  g_assert_true (ttd_photo_host_test (host, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpuint (g_hash_table_size (f->objects), ==, 0);

  /* The public address redirects: TikTok would not follow it. */
  f->public_status = SOUP_STATUS_FOUND;
  g_assert_false (ttd_photo_host_test (host, NULL, &error));
  g_assert_nonnull (strstr (error->message, "redirects"));
  g_clear_error (&error);
  /* and the probe is deleted all the same */
  g_assert_cmpuint (g_hash_table_size (f->objects), ==, 0);

  f->public_status = SOUP_STATUS_FORBIDDEN;
  g_assert_false (ttd_photo_host_test (host, NULL, &error));
  g_assert_nonnull (strstr (error->message, "HTTP 403"));
  g_assert_nonnull (strstr (error->message, "public address"));
  g_clear_error (&error);
  g_assert_cmpuint (g_hash_table_size (f->objects), ==, 0);
}

/* A crash between PUT and DELETE: the next start deletes it. */
static void
test_leftovers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TtdConfig) config = s3_config (f);
  g_autoptr(TtdPhotoHost) host = fixture_host (f, config);
  g_autoptr(GBytes) photo = g_bytes_new_static ("jpeg", 4);
  g_autofree char *name = ttd_photo_host_new_name (NULL);
  g_autofree char *other = ttd_photo_host_new_name (NULL);
  g_autofree char *key = g_strconcat ("/photos/tiktok/", name, NULL);
  g_autofree char *ledger = g_build_filename (g_get_user_data_dir (), "tiktok-drafts",
                                              "hosted-photos.json", NULL);
  g_autofree char *text = NULL;

  ttd_photo_host_record (ttd_photo_host_get_id (host), name, "v_pub_old");
  /* a WebDAV host's entry is not this host's to delete */
  ttd_photo_host_record ("https://dav.example.com/up/", other, "v_pub_old");
  g_assert_true (ttd_photo_host_put (host, name, photo, NULL, NULL));
  g_assert_true (g_hash_table_contains (f->objects, key));

  /* TikTok's hour has passed */
  g_assert_true (g_file_get_contents (ledger, &text, NULL, NULL));
  {
    g_autoptr(GRegex) regex = g_regex_new ("\"hosted_at\" *: *[0-9]+", 0, 0, NULL);
    g_autofree char *aged = g_regex_replace_literal (regex, text, -1, 0, "\"hosted_at\":1", 0, NULL);
    g_assert_true (g_file_set_contents (ledger, aged, -1, NULL));
  }

  g_assert_cmpuint (ttd_photo_host_clean_leftovers (host, NULL), ==, 1);
  g_assert_false (g_hash_table_contains (f->objects, key));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (ledger, &text, NULL, NULL));
  g_assert_null (strstr (text, name));
  g_assert_nonnull (strstr (text, other));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("ttd-s3-XXXXXX", NULL);

  /* The hosted-photos ledger goes here; set before any thread starts. */
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/photo-host/s3/settings", test_settings);
  g_test_add_func ("/photo-host/s3/prefix-and-id", test_prefix_and_id);
  g_test_add_func ("/photo-host/s3/error-code", test_error_code);
  g_test_add ("/photo-host/s3/signed-put-and-delete", Fixture, NULL,
              fixture_setup, test_signed_put_and_delete, fixture_teardown);
  g_test_add ("/photo-host/s3/refusals", Fixture, NULL, fixture_setup, test_refusals, fixture_teardown);
  g_test_add ("/photo-host/s3/check", Fixture, NULL, fixture_setup, test_check, fixture_teardown);
  g_test_add ("/photo-host/s3/leftovers", Fixture, NULL, fixture_setup, test_leftovers, fixture_teardown);

  return g_test_run ();
}
