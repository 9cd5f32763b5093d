/* ttd-emulator.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tiktok-drafts-emulator: a strict, local, single-threaded emulation of the
 * TikTok Login Kit (OAuth v2) and Content Posting API (inbox drafts) as
 * described in the project guide tiktok-api.md §2–§7.  It is used by the
 * integration and e2e tests and by the app's demo mode.  It listens on
 * 127.0.0.1 only.
 *
 * Usage:
 *   tiktok-drafts-emulator [--port N]                 (0 = ephemeral, default)
 *                          [--client-key K]           (demo-client-key)
 *                          [--client-secret S]        (demo-client-secret)
 *                          [--redirect-uri PATTERN]…  (default http://127.0.0.1:*\/callback/
 *                                                      and http://localhost:*\/callback/)
 *                          [--access-ttl SECONDS]     (86400)
 *                          [--refresh-ttl SECONDS]    (31536000)
 *                          [--upload-url-ttl SECONDS] (3600)
 *                          [--processing-ms MS]       (1500)
 *                          [--verified-prefix URL]…   (https://…, or http://127.0.0.1:… /
 *                                                      http://localhost:… for tests; a
 *                                                      missing trailing "/" is appended)
 *                          [--display-name NAME]      ("Demo Creator")
 *                          [--url-file PATH]
 *
 * Once listening it prints exactly one line "http://127.0.0.1:PORT" on stdout
 * (and atomically writes it to --url-file), then logs "METHOD PATH STATUS"
 * per request on stderr (never query strings, tokens, codes or secrets).
 * SIGINT/SIGTERM exit cleanly.
 *
 * TikTok endpoints (point TIKTOK_DRAFTS_API_BASE at the printed URL and
 * TIKTOK_DRAFTS_AUTH_URL at URL/v2/auth/authorize/):
 *   GET  /v2/auth/authorize/              POST /v2/oauth/token/
 *   POST /v2/oauth/revoke/                GET  /v2/user/info/?fields=…
 *   POST /v2/post/publish/inbox/video/init/
 *   PUT  /upload/video/?upload_id=…&upload_token=…
 *   POST /v2/post/publish/status/fetch/   POST /v2/post/publish/content/init/
 *   POST /v2/post/publish/cancel/
 *   POST /v2/post/publish/video/init/, /v2/post/publish/creator_info/query/
 *        (direct post: recorded, then refused)
 *
 * Admin API:
 *   GET  /_emulator/state         JSON snapshot: open_id, union_id, display_name,
 *                                 drafts[] (publish_id, kind, status, fail_reason,
 *                                 open_id, acted_on, pending, created_at; video:
 *                                 video_size, chunk_size, total_chunk_count,
 *                                 uploaded_bytes, chunks_received, put_attempts,
 *                                 inits_for_this_draft (= inits so far with the
 *                                 same size/chunk plan), upload_complete,
 *                                 upload_url_expired, sha256 (null until
 *                                 complete), content_type; photo:
 *                                 downloaded_bytes, title, description,
 *                                 photo_cover_index, photo_urls, photo_images[]
 *                                 {url, size, sha256, format, width, height,
 *                                 has_exif, progressive}), pending_drafts,
 *                                 direct_post_attempts[] {method, path, time},
 *                                 counts {authorize, token_exchanges, refreshes,
 *                                 revokes, video_inits, content_inits,
 *                                 status_fetches, puts, user_info, cancels,
 *                                 direct_post_attempts}, live_access_tokens,
 *                                 live_refresh_tokens, armed_faults, requests[]
 *                                 {method, path, status; 0 = aborted; last 10000}
 *   POST /_emulator/fault         {"fault": NAME} arms a one-shot fault
 *                                 (queued if armed twice) → {"armed": NAME}.
 *                                 NAME ∈ reset-mid-chunk, upload-5xx, init-5xx,
 *                                 status-5xx, expire-access-tokens,
 *                                 expire-upload-urls, rate-limit, invalid-grant,
 *                                 deny-authorize, pending-cap, outage (every
 *                                 connection is cut for the next 3 s).
 *                                 expire-access-tokens and expire-upload-urls
 *                                 act immediately; the others hit the next
 *                                 matching request.  Unknown NAME: 400.
 *   POST /_emulator/act-on-drafts every SEND_TO_USER_INBOX draft becomes
 *                                 acted on → {"acted": N}
 *   POST /_emulator/reset         forget drafts, codes, tokens, counters,
 *                                 faults, records → {"reset": true}
 *   GET  /_emulator/avatar.png    100×100 PNG used as the avatar URLs
 *
 * Choices where the spec is silent:
 *   - unknown/missing client_key at authorize: HTML 400, no redirect;
 *   - MEDIA_UPLOAD photo inits ignore privacy_level and the other
 *     DIRECT_POST-only post_info members;
 *   - the one-shot upload faults hit the next PUT that passes validation;
 *   - rate limits are per access token and per endpoint; requests answered
 *     429 do not extend the window;
 *   - a video whose upload URL expired before completion stays
 *     PROCESSING_UPLOAD but no longer counts as pending.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <glib.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#define MIN_CHUNK        G_GINT64_CONSTANT (5242880)
#define MAX_CHUNK        G_GINT64_CONSTANT (64000000)
#define MAX_LAST_CHUNK   G_GINT64_CONSTANT (128000000)
#define MAX_VIDEO_SIZE   G_GINT64_CONSTANT (4294967296)
#define MAX_CHUNKS       1000
#define MAX_PENDING      5
#define INIT_LIMIT       6
#define STATUS_LIMIT     30
#define USER_INFO_LIMIT  600
#define CANCEL_LIMIT     30
#define RATE_WINDOW_US   (60 * G_USEC_PER_SEC)
#define CODE_TTL_US      (10 * 60 * G_USEC_PER_SEC)
#define MAX_PHOTO_BYTES  G_GINT64_CONSTANT (20000000)
#define MAX_PHOTOS       35
#define MAX_TITLE        90
#define MAX_DESCRIPTION  4000
#define MAX_BODY         (1024 * 1024)
#define PROBE_CAP        (4 * 1024 * 1024)
#define READ_BLOCK       65536
#define MAX_REQUEST_LOG  10000
#define MAX_REDIRECT_LEN 512

/* Draft states are compared by address, so they live in one place. */
static const char STATUS_UPLOAD[] = "PROCESSING_UPLOAD";
static const char STATUS_DOWNLOAD[] = "PROCESSING_DOWNLOAD";
static const char STATUS_INBOX[] = "SEND_TO_USER_INBOX";
static const char STATUS_FAILED[] = "FAILED";

#define DESC_BAD_PKCE    "Code verifier or code challenge is invalid."
#define DESC_MALFORMED   "The request parameters are malformed."
#define DESC_CHUNK       "The chunk size is invalid"

static const char * const all_scopes[] = {
  "user.info.basic", "user.info.profile", "user.info.stats",
  "video.list", "video.upload", "video.publish", NULL
};

static const char * const fault_names[] = {
  "reset-mid-chunk", "upload-5xx", "init-5xx", "status-5xx",
  "expire-access-tokens", "expire-upload-urls", "rate-limit",
  "invalid-grant", "deny-authorize", "pending-cap", "outage", NULL
};

typedef struct _Emulator Emulator;

typedef struct
{
  char *client_key;
  char *redirect_uri;
  char *challenge;
  gboolean hex_challenge;
  char *scopes;
  char *open_id;
  gint64 expires_at;            /* monotonic µs */
  gboolean used;
} AuthCode;

typedef struct
{
  char *access_token;
  char *refresh_token;
  char *client_key;
  char *open_id;
  char *scope;
  gint64 access_expires_at;     /* monotonic µs */
  gint64 refresh_expires_at;
  GArray *video_init_times;     /* gint64 monotonic µs */
  GArray *content_init_times;
  GArray *status_times;
  GArray *user_info_times;
  GArray *cancel_times;
} Grant;

typedef enum
{
  KIND_VIDEO,
  KIND_PHOTO,
} DraftKind;

typedef struct
{
  char *url;
  gint64 size;
  char *sha256;
  const char *format;
  int width;
  int height;
  gboolean has_exif;
  gboolean progressive;
} PhotoImage;

typedef struct
{
  Emulator *emu;
  char *publish_id;
  DraftKind kind;
  char *open_id;
  char *client_key;
  const char *status;
  const char *fail_reason;
  gboolean acted_on;
  gint64 created_at;            /* real time µs */
  guint timeout_id;

  /* FILE_UPLOAD video */
  char *upload_id;
  char *upload_token;
  gint64 upload_expires_at;     /* monotonic µs */
  gint64 video_size;
  gint64 chunk_size;
  gint64 total_chunk_count;
  gint64 uploaded_bytes;
  guint chunks_received;
  guint put_attempts;
  guint inits_for_this_draft;
  GChecksum *checksum;          /* committed chunks only */
  char *sha256;
  char *content_type;
  guint8 head[16];
  gsize head_len;
  gboolean put_in_progress;
  gboolean upload_complete;

  /* PULL_FROM_URL photos */
  GPtrArray *photo_urls;        /* char * */
  GPtrArray *photo_images;      /* PhotoImage * */
  char *title;
  char *description;
  gint64 photo_cover_index;
  gint64 downloaded_bytes;
  GCancellable *cancellable;
} Draft;

typedef struct
{
  char *method;
  char *path;
  guint status;
} RequestRecord;

typedef struct
{
  char *method;
  char *path;
  char *time;
} DirectPostAttempt;

typedef struct
{
  guint authorize;
  guint token_exchanges;
  guint refreshes;
  guint revokes;
  guint video_inits;
  guint content_inits;
  guint status_fetches;
  guint puts;
  guint user_info;
  guint cancels;
  guint direct_post;
} Counts;

struct _Emulator
{
  SoupServer *server;
  SoupSession *session;
  GMainLoop *loop;
  char *base_url;

  /* configuration */
  char *client_key;
  char *client_secret;
  char **redirect_uris;
  gint64 access_ttl;
  gint64 refresh_ttl;
  gint64 upload_url_ttl;
  int processing_ms;
  char **verified_prefixes;
  char *display_name;

  /* the one emulated user */
  char *open_id;
  char *union_id;
  GBytes *avatar_png;

  /* state */
  GHashTable *codes;                /* code → AuthCode, owned */
  GHashTable *grants_by_access;     /* access token → Grant, not owned */
  GHashTable *grants_by_refresh;    /* refresh token → Grant, owned */
  GPtrArray *drafts;                /* Draft, owned, creation order */
  GHashTable *drafts_by_id;         /* publish_id → Draft */
  GHashTable *drafts_by_upload_id;  /* upload_id → Draft */
  GPtrArray *faults;                /* char *, armed one-shot faults */
  gint64     outage_until;          /* monotonic µs: connections are cut until then */
  GPtrArray *direct_post_attempts;  /* DirectPostAttempt */
  GPtrArray *requests;              /* RequestRecord */
  Counts counts;
};

typedef struct
{
  Emulator *emu;
  char *publish_id;
  GChecksum *work;
  gint64 first;
  gint64 last;
  gint64 expected;
  gint64 received;
  guint8 head[16];
  gsize head_len;
  gboolean fail_500;
  gint64 reset_at;              /* -1: no reset fault */
  gboolean aborted;
} PutContext;

typedef enum
{
  PROBE_NEED_MORE,
  PROBE_OK,
  PROBE_BAD_FORMAT,
} ProbeResult;

typedef struct
{
  const char *format;
  int width;
  int height;
  gboolean has_exif;
  gboolean progressive;
} ProbeInfo;

typedef struct
{
  Emulator *emu;
  char *publish_id;
  guint index;
  GCancellable *cancellable;
  SoupMessage *msg;
  GInputStream *stream;
  GChecksum *checksum;
  GByteArray *probe;
  gboolean probed;
  ProbeInfo info;
  gint64 size;
} PhotoJob;

/* ------------------------------------------------------------------ */
/* small helpers                                                        */
/* ------------------------------------------------------------------ */

static void
fill_random (guint8 *buf,
             gsize   len)
{
  gsize off = 0;

  while (off < len)
    {
      gssize n = getrandom (buf + off, len - off, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom: %s", g_strerror (errno));
        }
      off += (gsize) n;
    }
}

static char *
base64url_encode (const guint8 *data,
                  gsize         len)
{
  char *text = g_base64_encode (data, len);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

static char *
random_b64url (gsize nbytes)
{
  g_autofree guint8 *buf = g_malloc (nbytes);

  fill_random (buf, nbytes);
  return base64url_encode (buf, nbytes);
}

static char *
random_digits (guint n)
{
  g_autofree guint8 *buf = g_malloc (n);
  GString *s = g_string_sized_new (n);
  guint i;

  fill_random (buf, n);
  for (i = 0; i < n; i++)
    g_string_append_c (s, (char) ('0' + (i == 0 ? 1 + buf[i] % 9 : buf[i] % 10)));

  return g_string_free (s, FALSE);
}

static char *
random_uuid (void)
{
  guint8 b[16];

  fill_random (b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static char *
make_log_id (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");
  guint8 b[10];
  GString *s = g_string_new (stamp);
  guint i;

  fill_random (b, sizeof b);
  for (i = 0; i < sizeof b; i++)
    g_string_append_printf (s, "%02X", b[i]);

  return g_string_free (s, FALSE);
}

static char *
iso8601_from_us (gint64 real_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
strv_contains_csv (const char *csv,
                   const char *item)
{
  g_auto(GStrv) parts = NULL;

  if (csv == NULL)
    return FALSE;

  parts = g_strsplit (csv, ",", -1);
  return g_strv_contains ((const char * const *) parts, item);
}

/* Sliding one-minute window.  Returns TRUE when the limit is hit; only
 * admitted requests are recorded. */
static gboolean
rate_limited (GArray *times,
              guint   limit)
{
  gint64 now = g_get_monotonic_time ();
  guint keep_from = 0;

  while (keep_from < times->len &&
         g_array_index (times, gint64, keep_from) <= now - RATE_WINDOW_US)
    keep_from++;
  if (keep_from > 0)
    g_array_remove_range (times, 0, keep_from);

  if (times->len >= limit)
    return TRUE;

  g_array_append_val (times, now);
  return FALSE;
}

static gboolean
take_fault (Emulator   *self,
            const char *name)
{
  guint i;

  for (i = 0; i < self->faults->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->faults, i), name))
        {
          g_ptr_array_remove_index (self->faults, i);
          return TRUE;
        }
    }

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* records                                                              */
/* ------------------------------------------------------------------ */

static void
auth_code_free (gpointer data)
{
  AuthCode *code = data;

  g_free (code->client_key);
  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_free (code->scopes);
  g_free (code->open_id);
  g_free (code);
}

static void
grant_free (gpointer data)
{
  Grant *grant = data;

  g_free (grant->access_token);
  g_free (grant->refresh_token);
  g_free (grant->client_key);
  g_free (grant->open_id);
  g_free (grant->scope);
  g_array_unref (grant->video_init_times);
  g_array_unref (grant->content_init_times);
  g_array_unref (grant->status_times);
  g_array_unref (grant->user_info_times);
  g_array_unref (grant->cancel_times);
  g_free (grant);
}

static void
photo_image_free (gpointer data)
{
  PhotoImage *image = data;

  g_free (image->url);
  g_free (image->sha256);
  g_free (image);
}

static void
draft_free (gpointer data)
{
  Draft *draft = data;

  g_clear_handle_id (&draft->timeout_id, g_source_remove);
  if (draft->cancellable != NULL)
    {
      g_cancellable_cancel (draft->cancellable);
      g_object_unref (draft->cancellable);
    }
  g_free (draft->publish_id);
  g_free (draft->open_id);
  g_free (draft->client_key);
  g_free (draft->upload_id);
  g_free (draft->upload_token);
  g_clear_pointer (&draft->checksum, g_checksum_free);
  g_free (draft->sha256);
  g_free (draft->content_type);
  g_clear_pointer (&draft->photo_urls, g_ptr_array_unref);
  g_clear_pointer (&draft->photo_images, g_ptr_array_unref);
  g_free (draft->title);
  g_free (draft->description);
  g_free (draft);
}

static void
request_record_free (gpointer data)
{
  RequestRecord *rec = data;

  g_free (rec->method);
  g_free (rec->path);
  g_free (rec);
}

static void
direct_post_attempt_free (gpointer data)
{
  DirectPostAttempt *attempt = data;

  g_free (attempt->method);
  g_free (attempt->path);
  g_free (attempt->time);
  g_free (attempt);
}

static void
record_direct_post (Emulator          *self,
                    SoupServerMessage *msg)
{
  DirectPostAttempt *attempt;
  g_autoptr(GDateTime) now = NULL;

  if (g_object_get_data (G_OBJECT (msg), "ttd-direct-post") != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "ttd-direct-post", GINT_TO_POINTER (1));

  now = g_date_time_new_now_utc ();
  attempt = g_new0 (DirectPostAttempt, 1);
  attempt->method = g_strdup (soup_server_message_get_method (msg));
  attempt->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  attempt->time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_ptr_array_add (self->direct_post_attempts, attempt);
  self->counts.direct_post++;
}

/* ------------------------------------------------------------------ */
/* responses                                                            */
/* ------------------------------------------------------------------ */

static void
send_json_object (SoupServerMessage *msg,
                  guint              status,
                  JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}

/* The v2 envelope; @data is borrowed (NULL: empty object). */
static void
send_envelope (SoupServerMessage *msg,
               guint              status,
               JsonObject        *data,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();
  g_autofree char *log_id = make_log_id ();

  json_object_set_object_member (root, "data",
                                 data != NULL ? json_object_ref (data) : json_object_new ());
  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_string_member (error, "log_id", log_id);
  json_object_set_object_member (root, "error", error);
  send_json_object (msg, status, root);

  /* SoupServer reports every 500 as "request-aborted"; remember that this
   * one was a deliberate answer so the request log stays truthful. */
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_object_set_data (G_OBJECT (msg), "ttd-deliberate-500", GINT_TO_POINTER (1));
}

static void
send_ok (SoupServerMessage *msg,
         JsonObject        *data)
{
  send_envelope (msg, SOUP_STATUS_OK, data, "ok", "");
}

static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  send_envelope (msg, status, NULL, code, message);
}

static void
send_oauth_error (SoupServerMessage *msg,
                  guint              status,
                  const char        *error,
                  const char        *description)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autofree char *log_id = make_log_id ();

  json_object_set_string_member (root, "error", error);
  json_object_set_string_member (root, "error_description", description);
  json_object_set_string_member (root, "log_id", log_id);
  send_json_object (msg, status, root);
}

static void
send_html_error (SoupServerMessage *msg,
                 guint              status,
                 const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  char *html = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                "<title>TikTok emulator: authorization error</title></head>"
                                "<body><h1>Something went wrong</h1><p>%s</p></body></html>\n",
                                escaped);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                    SOUP_MEMORY_TAKE, html, strlen (html));
}

/* ------------------------------------------------------------------ */
/* request helpers                                                      */
/* ------------------------------------------------------------------ */

static char *
request_body_text (SoupServerMessage *msg,
                   gsize             *len_out)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len_out != NULL)
    *len_out = len;
  return g_strndup (data != NULL ? data : "", len);
}

static gboolean
content_type_is (SoupServerMessage *msg,
                 const char        *wanted,
                 gboolean           allow_charset)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  GHashTableIter iter;
  gpointer key, value;

  if (type == NULL || g_ascii_strcasecmp (type, wanted) != 0)
    return FALSE;

  if (params == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!allow_charset || g_ascii_strcasecmp (key, "charset") != 0)
        return FALSE;
      if (value == NULL ||
          (g_ascii_strcasecmp (value, "utf-8") != 0 &&
           g_ascii_strcasecmp (value, "utf8") != 0))
        return FALSE;
    }

  return TRUE;
}

/* Bearer authentication; sends 401 access_token_invalid on failure. */
static Grant *
require_grant (Emulator          *self,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  Grant *grant = NULL;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      const char *token = auth + 7;

      while (*token == ' ')
        token++;
      grant = g_hash_table_lookup (self->grants_by_access, token);
    }

  if (grant == NULL || grant->access_expires_at <= g_get_monotonic_time ())
    {
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "access_token_invalid",
                  "The access token is invalid or not found in the request.");
      return NULL;
    }

  return grant;
}

static gboolean
grant_has_scope (Grant      *grant,
                 const char *scope)
{
  return strv_contains_csv (grant->scope, scope);
}

/* Parses a JSON object body; sends 400 invalid_params on failure. */
static JsonObject *
parse_json_body (SoupServerMessage *msg)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  JsonNode *root;

  if (!content_type_is (msg, "application/json", TRUE))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "Content-Type must be application/json");
      return NULL;
    }

  text = request_body_text (msg, &len);
  if (strlen (text) != len || !g_utf8_validate (text, len, NULL) ||
      !json_parser_load_from_data (parser, text, len, &error))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "The request body is not valid JSON");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "The request body must be a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* Strict JSON typing helpers: the member must exist with the given type. */
static const char *
json_get_string (JsonObject *object,
                 const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
json_get_int (JsonObject *object,
              const char *name,
              gint64     *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return TRUE;
}

static JsonObject *
json_get_object (JsonObject *object,
                 const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static glong
utf16_length (const char *text)
{
  glong written = 0;
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, &written, NULL);

  return utf16 != NULL ? written : G_MAXLONG;
}

static gboolean
url_is_verified (Emulator   *self,
                 const char *url)
{
  guint i;

  if (url == NULL || strstr (url, "/../") != NULL || strstr (url, "/./") != NULL ||
      !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    return FALSE;

  for (i = 0; self->verified_prefixes[i] != NULL; i++)
    {
      if (g_str_has_prefix (url, self->verified_prefixes[i]))
        return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* drafts                                                               */
/* ------------------------------------------------------------------ */

static gboolean
draft_is_pending (Draft  *draft,
                  gint64  now)
{
  if (draft->status == STATUS_FAILED)
    return FALSE;
  if (draft->status == STATUS_INBOX)
    return !draft->acted_on;
  if (draft->kind == KIND_VIDEO && !draft->upload_complete)
    return now < draft->upload_expires_at;
  return TRUE;
}

static guint
count_pending (Emulator   *self,
               const char *open_id)
{
  gint64 now = g_get_monotonic_time ();
  guint n = 0;
  guint i;

  for (i = 0; i < self->drafts->len; i++)
    {
      Draft *draft = g_ptr_array_index (self->drafts, i);

      if (g_str_equal (draft->open_id, open_id) && draft_is_pending (draft, now))
        n++;
    }

  return n;
}

static Draft *
draft_new (Emulator   *self,
           DraftKind   kind,
           Grant      *grant,
           const char *prefix)
{
  Draft *draft = g_new0 (Draft, 1);

  draft->emu = self;
  draft->kind = kind;
  do
    {
      g_autofree char *digits = random_digits (19);

      g_free (draft->publish_id);
      draft->publish_id = g_strconcat (prefix, digits, NULL);
    }
  while (g_hash_table_contains (self->drafts_by_id, draft->publish_id));
  draft->open_id = g_strdup (grant->open_id);
  draft->client_key = g_strdup (grant->client_key);
  draft->created_at = g_get_real_time ();
  draft->photo_cover_index = -1;

  g_ptr_array_add (self->drafts, draft);
  g_hash_table_insert (self->drafts_by_id, draft->publish_id, draft);
  return draft;
}

static void
draft_fail (Draft      *draft,
            const char *reason)
{
  g_clear_handle_id (&draft->timeout_id, g_source_remove);
  draft->status = STATUS_FAILED;
  draft->fail_reason = reason;
}

static gboolean
draft_processing_done_cb (gpointer data)
{
  Draft *draft = data;

  draft->timeout_id = 0;
  if (draft->status == STATUS_FAILED)
    return G_SOURCE_REMOVE;

  if (draft->kind == KIND_VIDEO)
    {
      gboolean mp4 = draft->head_len >= 8 && memcmp (draft->head + 4, "ftyp", 4) == 0;
      gboolean webm = draft->head_len >= 4 && memcmp (draft->head, "\x1a\x45\xdf\xa3", 4) == 0;

      if (mp4 || webm)
        draft->status = STATUS_INBOX;
      else
        draft_fail (draft, "file_format_check_failed");
    }
  else
    {
      draft->status = STATUS_INBOX;
    }

  return G_SOURCE_REMOVE;
}

static void
draft_start_processing (Draft *draft)
{
  g_clear_handle_id (&draft->timeout_id, g_source_remove);
  draft->timeout_id = g_timeout_add (MAX (draft->emu->processing_ms, 0),
                                     draft_processing_done_cb, draft);
}

/* ------------------------------------------------------------------ */
/* OAuth: authorize                                                     */
/* ------------------------------------------------------------------ */

/* Exact match against a registered pattern; "*" in the port position
 * matches any decimal port 1–65535 without leading zeros. */
static gboolean
redirect_matches (const char *pattern,
                  const char *uri)
{
  const char *star = strstr (pattern, ":*/");
  const char *p;
  gsize prefix_len;
  guint64 port = 0;
  guint digits = 0;

  if (star == NULL)
    return g_str_equal (pattern, uri);

  prefix_len = (gsize) (star - pattern) + 1;
  if (strncmp (pattern, uri, prefix_len) != 0)
    return FALSE;

  p = uri + prefix_len;
  if (*p == '0')
    return FALSE;
  while (g_ascii_isdigit (*p) && digits < 6)
    {
      port = port * 10 + (guint64) (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0 || port < 1 || port > 65535)
    return FALSE;

  return g_str_equal (p, star + 2);
}

static gboolean
redirect_registered (Emulator   *self,
                     const char *uri)
{
  guint i;

  if (uri == NULL || *uri == '\0' || strlen (uri) >= MAX_REDIRECT_LEN ||
      strchr (uri, '?') != NULL || strchr (uri, '#') != NULL)
    return FALSE;

  for (i = 0; self->redirect_uris[i] != NULL; i++)
    {
      if (redirect_matches (self->redirect_uris[i], uri))
        return TRUE;
    }

  return FALSE;
}

static gboolean
redirect_is_desktop (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  return host != NULL && (g_str_equal (host, "127.0.0.1") ||
                          g_ascii_strcasecmp (host, "localhost") == 0);
}

static gboolean
challenge_well_formed (const char *challenge,
                       gboolean    hex)
{
  const char *p;

  if (challenge == NULL)
    return FALSE;

  if (hex)
    {
      if (strlen (challenge) != 64)
        return FALSE;
      for (p = challenge; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
          return FALSE;
      return TRUE;
    }

  if (strlen (challenge) != 43)
    return FALSE;
  for (p = challenge; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               ...) G_GNUC_NULL_TERMINATED;

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               ...)
{
  GString *location = g_string_new (redirect_uri);
  g_autofree char *url = NULL;
  const char *name;
  gboolean first = TRUE;
  va_list args;

  va_start (args, redirect_uri);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      g_string_append_c (location, first ? '?' : '&');
      g_string_append_uri_escaped (location, name, NULL, FALSE);
      g_string_append_c (location, '=');
      g_string_append_uri_escaped (location, value, NULL, FALSE);
      first = FALSE;
    }
  va_end (args);

  url = g_string_free (location, FALSE);
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, url);
}

static void
handle_authorize (Emulator          *self,
                  SoupServerMessage *msg,
                  GHashTable        *query)
{
  const char *client_key = NULL, *response_type = NULL, *scope = NULL;
  const char *redirect_uri = NULL, *state = NULL, *challenge = NULL, *method = NULL;
  g_auto(GStrv) scopes = NULL;
  gboolean hex;
  AuthCode *code;
  g_autofree char *code_text = NULL;
  g_autofree char *random = NULL;
  g_autofree char *suffix = NULL;
  guint i;

  self->counts.authorize++;

  if (query != NULL)
    {
      client_key = g_hash_table_lookup (query, "client_key");
      response_type = g_hash_table_lookup (query, "response_type");
      scope = g_hash_table_lookup (query, "scope");
      redirect_uri = g_hash_table_lookup (query, "redirect_uri");
      state = g_hash_table_lookup (query, "state");
      challenge = g_hash_table_lookup (query, "code_challenge");
      method = g_hash_table_lookup (query, "code_challenge_method");
    }

  if (client_key == NULL || !g_str_equal (client_key, self->client_key))
    {
      send_html_error (msg, SOUP_STATUS_BAD_REQUEST,
                       "client_key: the app is not registered (invalid client_key).");
      return;
    }

  if (!redirect_registered (self, redirect_uri))
    {
      send_html_error (msg, SOUP_STATUS_BAD_REQUEST,
                       "redirect_uri: the redirect URI is missing or not registered for this app.");
      return;
    }

  if (state == NULL || *state == '\0')
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", "state is required.", NULL);
      return;
    }

  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect_with (msg, redirect_uri, "error", "unsupported_response_type",
                     "error_description", "response_type must be code.",
                     "state", state, NULL);
      return;
    }

  if (scope == NULL || *scope == '\0')
    {
      redirect_with (msg, redirect_uri, "error", "invalid_scope",
                     "error_description", "scope is required.", "state", state, NULL);
      return;
    }

  scopes = g_strsplit (scope, ",", -1);
  for (i = 0; scopes[i] != NULL; i++)
    {
      if (!g_strv_contains (all_scopes, scopes[i]))
        {
          redirect_with (msg, redirect_uri, "error", "invalid_scope",
                         "error_description", "The scope is invalid.", "state", state, NULL);
          return;
        }
    }

  if (g_strcmp0 (method, "S256") != 0)
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", "code_challenge_method must be S256.",
                     "state", state, NULL);
      return;
    }

  hex = redirect_is_desktop (redirect_uri);
  if (!challenge_well_formed (challenge, hex))
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", DESC_BAD_PKCE, "state", state, NULL);
      return;
    }

  if (take_fault (self, "deny-authorize"))
    {
      redirect_with (msg, redirect_uri, "error", "access_denied",
                     "error_description", "The user denied the authorization request.",
                     "state", state, NULL);
      return;
    }

  random = random_b64url (36);
  suffix = random_digits (4);
  code_text = g_strdup_printf ("%s*0!%s", random, suffix);

  code = g_new0 (AuthCode, 1);
  code->client_key = g_strdup (client_key);
  code->redirect_uri = g_strdup (redirect_uri);
  code->challenge = g_strdup (challenge);
  code->hex_challenge = hex;
  code->scopes = g_strdup (scope);
  code->open_id = g_strdup (self->open_id);
  code->expires_at = g_get_monotonic_time () + CODE_TTL_US;
  g_hash_table_insert (self->codes, g_strdup (code_text), code);

  redirect_with (msg, redirect_uri, "code", code_text, "scopes", scope,
                 "state", state, NULL);
}

/* ------------------------------------------------------------------ */
/* OAuth: token and revoke                                              */
/* ------------------------------------------------------------------ */

static gboolean
verifier_matches (const char *verifier,
                  AuthCode   *code)
{
  gsize len = verifier != NULL ? strlen (verifier) : 0;
  const char *p;

  if (len < 43 || len > 128)
    return FALSE;
  for (p = verifier; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;

  if (code->hex_challenge)
    {
      g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, verifier, -1);

      return g_str_equal (hex, code->challenge);
    }
  else
    {
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize digest_len = sizeof digest;
      g_autofree char *b64 = NULL;

      g_checksum_update (sum, (const guchar *) verifier, (gssize) len);
      g_checksum_get_digest (sum, digest, &digest_len);
      b64 = base64url_encode (digest, digest_len);
      return g_str_equal (b64, code->challenge);
    }
}

static Grant *
issue_grant (Emulator   *self,
             const char *client_key,
             const char *open_id,
             const char *scope)
{
  Grant *grant = g_new0 (Grant, 1);
  g_autofree char *access = random_b64url (48);
  g_autofree char *refresh = random_b64url (48);
  gint64 now = g_get_monotonic_time ();

  grant->access_token = g_strconcat ("act.", access, "!4815.va", NULL);
  grant->refresh_token = g_strconcat ("rft.", refresh, "!5121.va", NULL);
  grant->client_key = g_strdup (client_key);
  grant->open_id = g_strdup (open_id);
  grant->scope = g_strdup (scope);
  grant->access_expires_at = now + self->access_ttl * G_USEC_PER_SEC;
  grant->refresh_expires_at = now + self->refresh_ttl * G_USEC_PER_SEC;
  grant->video_init_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  grant->content_init_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  grant->status_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  grant->user_info_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  grant->cancel_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_hash_table_insert (self->grants_by_access, grant->access_token, grant);
  g_hash_table_insert (self->grants_by_refresh, grant->refresh_token, grant);
  return grant;
}

static void
drop_grant (Emulator *self,
            Grant    *grant)
{
  g_hash_table_remove (self->grants_by_access, grant->access_token);
  g_hash_table_remove (self->grants_by_refresh, grant->refresh_token); /* frees */
}

static void
send_grant (Emulator          *self,
            SoupServerMessage *msg,
            Grant             *grant)
{
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_string_member (root, "access_token", grant->access_token);
  json_object_set_int_member (root, "expires_in", self->access_ttl);
  json_object_set_string_member (root, "open_id", grant->open_id);
  json_object_set_int_member (root, "refresh_expires_in", self->refresh_ttl);
  json_object_set_string_member (root, "refresh_token", grant->refresh_token);
  json_object_set_string_member (root, "scope", grant->scope);
  json_object_set_string_member (root, "token_type", "Bearer");
  send_json_object (msg, SOUP_STATUS_OK, root);
}

/* Shared by token and revoke: form decoding and client authentication.
 * Returns the form (caller unrefs) or NULL after answering. */
static GHashTable *
read_client_form (Emulator          *self,
                  SoupServerMessage *msg)
{
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) form = NULL;
  const char *client_key, *client_secret;
  gsize len = 0;

  if (!content_type_is (msg, "application/x-www-form-urlencoded", TRUE))
    {
      send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", DESC_MALFORMED);
      return NULL;
    }

  text = request_body_text (msg, &len);
  if (strlen (text) != len)
    {
      send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", DESC_MALFORMED);
      return NULL;
    }
  form = soup_form_decode (text);

  client_key = g_hash_table_lookup (form, "client_key");
  client_secret = g_hash_table_lookup (form, "client_secret");
  if (client_key == NULL || !g_str_equal (client_key, self->client_key))
    {
      send_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                        "Client key is invalid.");
      return NULL;
    }
  if (client_secret == NULL || *client_secret == '\0')
    {
      send_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                        "Client secret is missed in request.");
      return NULL;
    }
  if (!g_str_equal (client_secret, self->client_secret))
    {
      send_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                        "Client secret is invalid.");
      return NULL;
    }

  return g_steal_pointer (&form);
}

static void
token_authorization_code (Emulator          *self,
                          SoupServerMessage *msg,
                          GHashTable        *form)
{
  const char *code_text = g_hash_table_lookup (form, "code");
  const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  AuthCode *code;
  Grant *grant;

  self->counts.token_exchanges++;

  if (code_text == NULL || *code_text == '\0')
    {
      send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                        "Code is missed in request.");
      return;
    }

  code = g_hash_table_lookup (self->codes, code_text);
  if (code == NULL || code->used || code->expires_at <= g_get_monotonic_time () ||
      !g_str_equal (code->client_key, g_hash_table_lookup (form, "client_key")))
    {
      /* TikTok answers invalid_grant with HTTP 200. */
      send_oauth_error (msg, SOUP_STATUS_OK, "invalid_grant",
                        "Authorization code is expired.");
      return;
    }

  if (redirect_uri == NULL || !g_str_equal (redirect_uri, code->redirect_uri))
    {
      send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                        "Redirect_uri is not matched with the uri when requesting code.");
      return;
    }

  if (!verifier_matches (verifier, code))
    {
      send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", DESC_BAD_PKCE);
      return;
    }

  code->used = TRUE;
  grant = issue_grant (self, code->client_key, code->open_id, code->scopes);
  send_grant (self, msg, grant);
}

static void
token_refresh (Emulator          *self,
               SoupServerMessage *msg,
               GHashTable        *form)
{
  const char *refresh = g_hash_table_lookup (form, "refresh_token");
  g_autofree char *client_key = NULL, *open_id = NULL, *scope = NULL;
  Grant *old, *grant;

  self->counts.refreshes++;

  if (refresh == NULL || *refresh == '\0')
    {
      send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                        "Refresh token is missed in request.");
      return;
    }

  old = g_hash_table_lookup (self->grants_by_refresh, refresh);
  if (take_fault (self, "invalid-grant") || old == NULL ||
      old->refresh_expires_at <= g_get_monotonic_time () ||
      !g_str_equal (old->client_key, g_hash_table_lookup (form, "client_key")))
    {
      send_oauth_error (msg, SOUP_STATUS_OK, "invalid_grant",
                        "Refresh token is invalid or expired.");
      return;
    }

  /* Rotation: the old refresh token and its access token stop working. */
  client_key = g_strdup (old->client_key);
  open_id = g_strdup (old->open_id);
  scope = g_strdup (old->scope);
  drop_grant (self, old);
  grant = issue_grant (self, client_key, open_id, scope);
  send_grant (self, msg, grant);
}

static void
handle_token (Emulator          *self,
              SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_client_form (self, msg);
  const char *grant_type;

  if (form == NULL)
    return;

  grant_type = g_hash_table_lookup (form, "grant_type");
  if (grant_type == NULL || *grant_type == '\0')
    send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                      "Grant type is missed in request.");
  else if (g_str_equal (grant_type, "authorization_code"))
    token_authorization_code (self, msg, form);
  else if (g_str_equal (grant_type, "refresh_token"))
    token_refresh (self, msg, form);
  else
    send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                      "The grant type is not supported.");
}

static void
handle_revoke (Emulator          *self,
               SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonObject) empty = json_object_new ();
  const char *token;
  Grant *grant;

  self->counts.revokes++;

  form = read_client_form (self, msg);
  if (form == NULL)
    return;

  token = g_hash_table_lookup (form, "token");
  if (token == NULL || *token == '\0')
    {
      send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                        "Token is missed in request.");
      return;
    }

  grant = g_hash_table_lookup (self->grants_by_access, token);
  if (grant != NULL && g_str_equal (grant->client_key, g_hash_table_lookup (form, "client_key")))
    drop_grant (self, grant);

  send_json_object (msg, SOUP_STATUS_OK, empty);
}

/* ------------------------------------------------------------------ */
/* user info                                                            */
/* ------------------------------------------------------------------ */

static void
handle_user_info (Emulator          *self,
                  SoupServerMessage *msg,
                  GHashTable        *query)
{
  static const char * const basic[] = {
    "open_id", "union_id", "avatar_url", "avatar_url_100", "avatar_large_url",
    "display_name", NULL
  };
  static const char * const profile[] = {
    "username", "bio_description", "profile_deep_link", "is_verified", NULL
  };
  static const char * const stats[] = {
    "follower_count", "following_count", "likes_count", "video_count", NULL
  };
  const char *fields = query != NULL ? g_hash_table_lookup (query, "fields") : NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autofree char *avatar = NULL;
  JsonObject *user;
  Grant *grant;
  guint i;

  self->counts.user_info++;

  grant = require_grant (self, msg);
  if (grant == NULL)
    return;

  if (!grant_has_scope (grant, "user.info.basic"))
    {
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                  "The user did not authorize the scope required for completing this request.");
      return;
    }

  if (rate_limited (grant->user_info_times, USER_INFO_LIMIT))
    {
      send_error (msg, 429, "rate_limit_exceeded",
                  "API rate limit was exceeded, please try again later.");
      return;
    }

  if (fields == NULL || *fields == '\0')
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "The fields parameter is required");
      return;
    }

  names = g_strsplit (fields, ",", -1);
  for (i = 0; names[i] != NULL; i++)
    {
      if (!g_strv_contains (basic, names[i]) && !g_strv_contains (profile, names[i]) &&
          !g_strv_contains (stats, names[i]))
        {
          g_autofree char *message = g_strdup_printf ("Invalid field: %s", names[i]);

          send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", message);
          return;
        }
    }
  for (i = 0; names[i] != NULL; i++)
    {
      if ((g_strv_contains (profile, names[i]) && !grant_has_scope (grant, "user.info.profile")) ||
          (g_strv_contains (stats, names[i]) && !grant_has_scope (grant, "user.info.stats")))
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, "scope_permission_missed",
                      "Some requested fields need scopes the user has not granted.");
          return;
        }
    }

  avatar = g_strconcat (self->base_url, "/_emulator/avatar.png", NULL);
  data = json_object_new ();
  user = json_object_new ();
  for (i = 0; names[i] != NULL; i++)
    {
      const char *name = names[i];

      if (g_str_equal (name, "open_id"))
        json_object_set_string_member (user, name, grant->open_id);
      else if (g_str_equal (name, "union_id"))
        json_object_set_string_member (user, name, self->union_id);
      else if (g_str_has_prefix (name, "avatar_"))
        json_object_set_string_member (user, name, avatar);
      else if (g_str_equal (name, "display_name"))
        json_object_set_string_member (user, name, self->display_name);
      else if (g_str_equal (name, "username"))
        json_object_set_string_member (user, name, "demo.creator");
      else if (g_str_equal (name, "bio_description"))
        json_object_set_string_member (user, name, "Emulated TikTok account");
      else if (g_str_equal (name, "profile_deep_link"))
        json_object_set_string_member (user, name, "https://vm.tiktok.com/emulator/");
      else if (g_str_equal (name, "is_verified"))
        json_object_set_boolean_member (user, name, FALSE);
      else if (g_str_equal (name, "video_count"))
        json_object_set_int_member (user, name, self->drafts->len);
      else
        json_object_set_int_member (user, name, 42);
    }
  json_object_set_object_member (data, "user", user);
  send_ok (msg, data);
}

/* ------------------------------------------------------------------ */
/* inbox video init                                                     */
/* ------------------------------------------------------------------ */

static const char *
check_chunk_plan (gint64 size,
                  gint64 chunk,
                  gint64 count)
{
  if (size <= 0 || size > MAX_VIDEO_SIZE)
    return "The video size is invalid";
  if (count < 1 || count > MAX_CHUNKS)
    return "The total chunk count is invalid";
  if (chunk <= 0)
    return DESC_CHUNK;

  if (count == 1)
    {
      if (chunk != size)
        return DESC_CHUNK;
      if (size > MAX_CHUNK)
        return "The video size is invalid: files over 64 MB must be uploaded in several chunks";
      return NULL;
    }

  if (size < MIN_CHUNK)
    return DESC_CHUNK;
  if (chunk < MIN_CHUNK || chunk > MAX_CHUNK)
    return DESC_CHUNK;
  if (count != size / chunk)
    return "The total chunk count is invalid";
  if (size - (count - 1) * chunk > MAX_LAST_CHUNK)
    return DESC_CHUNK;

  return NULL;
}

/* Common prologue of the two init endpoints after authentication. */
static gboolean
init_gate (Emulator          *self,
           SoupServerMessage *msg,
           GArray            *times)
{
  if (take_fault (self, "init-5xx"))
    {
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                  "Something went wrong. Please try again later.");
      return FALSE;
    }

  if (take_fault (self, "rate-limit") || rate_limited (times, INIT_LIMIT))
    {
      send_error (msg, 429, "rate_limit_exceeded",
                  "API rate limit was exceeded, please try again later.");
      return FALSE;
    }

  return TRUE;
}

static gboolean
pending_gate (Emulator          *self,
              SoupServerMessage *msg,
              Grant             *grant)
{
  if (take_fault (self, "pending-cap") || count_pending (self, grant->open_id) >= MAX_PENDING)
    {
      send_error (msg, SOUP_STATUS_FORBIDDEN, "spam_risk_too_many_pending_share",
                  "The user has too many pending shares; they need to act on them in TikTok first.");
      return FALSE;
    }

  return TRUE;
}

static void
handle_video_init (Emulator          *self,
                   SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *upload_url = NULL;
  JsonObject *source_info;
  const char *source;
  const char *problem;
  gint64 size = 0, chunk = 0, count = 0;
  Grant *grant;
  Draft *draft;
  GList *l;
  guint i;

  self->counts.video_inits++;

  grant = require_grant (self, msg);
  if (grant == NULL)
    return;

  if (!grant_has_scope (grant, "video.upload"))
    {
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                  "The user did not authorize the scope required for completing this request.");
      return;
    }

  if (!init_gate (self, msg, grant->video_init_times))
    return;

  body = parse_json_body (msg);
  if (body == NULL)
    return;

  members = json_object_get_members (body);
  for (l = members; l != NULL; l = l->next)
    {
      if (!g_str_equal (l->data, "source_info"))
        {
          g_autofree char *message =
            g_strdup_printf ("Field %s is not allowed: inbox drafts take source_info only",
                             (const char *) l->data);

          send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", message);
          return;
        }
    }

  source_info = json_get_object (body, "source_info");
  source = json_get_string (source_info, "source");
  if (source_info == NULL || source == NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "source_info.source is required");
      return;
    }

  if (g_str_equal (source, "PULL_FROM_URL"))
    {
      if (!url_is_verified (self, json_get_string (source_info, "video_url")))
        {
          send_error (msg, SOUP_STATUS_FORBIDDEN, "url_ownership_unverified",
                      "The video URL is not under a verified domain or URL prefix.");
          return;
        }
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "video pull is not emulated");
      return;
    }

  if (!g_str_equal (source, "FILE_UPLOAD"))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "source_info.source must be FILE_UPLOAD or PULL_FROM_URL");
      return;
    }

  if (!json_get_int (source_info, "video_size", &size) ||
      !json_get_int (source_info, "chunk_size", &chunk) ||
      !json_get_int (source_info, "total_chunk_count", &count))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "video_size, chunk_size and total_chunk_count must be integers");
      return;
    }

  problem = check_chunk_plan (size, chunk, count);
  if (problem != NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", problem);
      return;
    }

  if (!pending_gate (self, msg, grant))
    return;

  draft = draft_new (self, KIND_VIDEO, grant, "v_inbox_file~v2.");
  draft->status = STATUS_UPLOAD;
  draft->upload_id = random_digits (19);
  draft->upload_token = random_b64url (32);
  draft->upload_expires_at = g_get_monotonic_time () + self->upload_url_ttl * G_USEC_PER_SEC;
  draft->video_size = size;
  draft->chunk_size = chunk;
  draft->total_chunk_count = count;
  draft->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_hash_table_insert (self->drafts_by_upload_id, draft->upload_id, draft);

  /* How often this exact file plan was initialised (re-inits show up here). */
  for (i = 0; i < self->drafts->len; i++)
    {
      Draft *other = g_ptr_array_index (self->drafts, i);

      if (other->kind == KIND_VIDEO && other->video_size == size &&
          other->chunk_size == chunk && other->total_chunk_count == count)
        draft->inits_for_this_draft++;
    }

  upload_url = g_strdup_printf ("%s/upload/video/?upload_id=%s&upload_token=%s",
                                self->base_url, draft->upload_id, draft->upload_token);
  data = json_object_new ();
  json_object_set_string_member (data, "publish_id", draft->publish_id);
  json_object_set_string_member (data, "upload_url", upload_url);
  send_ok (msg, data);
}

/* ------------------------------------------------------------------ */
/* upload PUT (streamed, never accumulated)                             */
/* ------------------------------------------------------------------ */

static void
put_context_free (gpointer data)
{
  PutContext *ctx = data;

  g_clear_pointer (&ctx->work, g_checksum_free);
  g_free (ctx->publish_id);
  g_free (ctx);
}

static void
set_progress_range (SoupServerMessage *msg,
                    Draft             *draft)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *value = NULL;

  if (draft->uploaded_bytes > 0)
    value = g_strdup_printf ("bytes 0-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                             draft->uploaded_bytes - 1, draft->video_size);
  else
    value = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, draft->video_size);
  soup_message_headers_replace (headers, "Content-Range", value);
}

static void
upload_reject (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message,
               Draft             *draft)
{
  send_error (msg, status, code, message);
  if (draft != NULL && status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    set_progress_range (msg, draft);
  /* The body may never be sent (Expect: 100-continue); do not reuse. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

/* Strict "bytes FIRST-LAST/TOTAL", decimal, no spaces inside. */
static gboolean
parse_content_range (const char *value,
                     gint64     *first,
                     gint64     *last,
                     gint64     *total)
{
  gint64 *outs[3] = { first, last, total };
  const char seps[3] = { '-', '/', '\0' };
  const char *p;
  guint i;

  if (value == NULL || !g_str_has_prefix (value, "bytes "))
    return FALSE;

  p = value + 6;
  for (i = 0; i < 3; i++)
    {
      guint64 n = 0;
      guint digits = 0;

      while (g_ascii_isdigit (*p))
        {
          if (digits++ > 15)
            return FALSE;
          n = n * 10 + (guint64) (*p - '0');
          p++;
        }
      if (digits == 0 || *p != seps[i])
        return FALSE;
      *outs[i] = (gint64) n;
      if (seps[i] != '\0')
        p++;
    }

  return *first <= *last;
}

static void
upload_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     gpointer           user_data)
{
  PutContext *ctx = user_data;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (ctx->aborted)
    return;

  if (ctx->head_len < sizeof ctx->head)
    {
      gsize n = MIN (len, sizeof ctx->head - ctx->head_len);

      memcpy (ctx->head + ctx->head_len, data, n);
      ctx->head_len += n;
    }

  g_checksum_update (ctx->work, data, (gssize) len);
  ctx->received += (gint64) len;

  if (ctx->reset_at >= 0 && ctx->received >= ctx->reset_at)
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      ctx->aborted = TRUE;
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
}

/* During an "outage" fault, cut the connection without answering. */
static gboolean
cut_if_outage (Emulator          *self,
               SoupServerMessage *msg)
{
  GSocket *socket;

  if (g_get_monotonic_time () >= self->outage_until ||
      g_str_has_prefix (g_uri_get_path (soup_server_message_get_uri (msg)), "/_emulator/"))
    return FALSE;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data (G_OBJECT (msg), "ttd-cut", GINT_TO_POINTER (1));
  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return TRUE;
}

static void
upload_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  PutContext *ctx = user_data;
  Draft *draft = g_hash_table_lookup (ctx->emu->drafts_by_id, ctx->publish_id);

  if (draft != NULL)
    draft->put_in_progress = FALSE;
}

static void
upload_early_handler (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  Emulator *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *upload_id = query != NULL ? g_hash_table_lookup (query, "upload_id") : NULL;
  const char *upload_token = query != NULL ? g_hash_table_lookup (query, "upload_token") : NULL;
  gint64 first = 0, last = 0, total = 0, start, end;
  guint64 index;
  PutContext *ctx;
  Draft *draft;

  if (cut_if_outage (self, msg))
    return;

  /* Whatever happens, never keep an upload body in memory. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  if (!g_str_equal (path, "/upload/video/"))
    {
      upload_reject (msg, SOUP_STATUS_NOT_FOUND, "not_found", "Not found", NULL);
      return;
    }

  if (!g_str_equal (soup_server_message_get_method (msg), "PUT"))
    {
      upload_reject (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_params",
                     "Only PUT is allowed", NULL);
      return;
    }

  self->counts.puts++;

  draft = upload_id != NULL ? g_hash_table_lookup (self->drafts_by_upload_id, upload_id) : NULL;
  if (draft == NULL || upload_token == NULL || !g_str_equal (upload_token, draft->upload_token))
    {
      upload_reject (msg, SOUP_STATUS_NOT_FOUND, "invalid_params",
                     "No upload task for this URL", NULL);
      return;
    }

  draft->put_attempts++;

  if (draft->upload_expires_at <= g_get_monotonic_time ())
    {
      upload_reject (msg, SOUP_STATUS_FORBIDDEN, "invalid_params",
                     "The upload URL has expired", NULL);
      return;
    }

  if (!content_type_is (msg, "video/mp4", FALSE) &&
      !content_type_is (msg, "video/quicktime", FALSE) &&
      !content_type_is (msg, "video/webm", FALSE))
    {
      upload_reject (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                     "Content-Type must be video/mp4, video/quicktime or video/webm", NULL);
      return;
    }

  if (!parse_content_range (soup_message_headers_get_one (headers, "Content-Range"),
                            &first, &last, &total))
    {
      upload_reject (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                     "Content-Range must be \"bytes FIRST-LAST/TOTAL\"", NULL);
      return;
    }

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      soup_message_headers_get_one (headers, "Content-Length") == NULL ||
      soup_message_headers_get_content_length (headers) != last - first + 1)
    {
      upload_reject (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                     "Content-Length must equal the length of Content-Range", NULL);
      return;
    }

  /* The range must be exactly the next planned chunk. */
  index = (guint64) (draft->uploaded_bytes / draft->chunk_size);
  start = (gint64) index * draft->chunk_size;
  end = ((gint64) index == draft->total_chunk_count - 1) ?
        draft->video_size - 1 : start + draft->chunk_size - 1;
  if (total != draft->video_size || draft->upload_complete || draft->put_in_progress ||
      first != draft->uploaded_bytes || first != start || last != end)
    {
      upload_reject (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, "invalid_params",
                     "Content-Range does not match the upload progress", draft);
      return;
    }

  ctx = g_new0 (PutContext, 1);
  ctx->emu = self;
  ctx->publish_id = g_strdup (draft->publish_id);
  ctx->work = g_checksum_copy (draft->checksum);
  ctx->first = first;
  ctx->last = last;
  ctx->expected = last - first + 1;
  ctx->reset_at = -1;
  if (take_fault (self, "reset-mid-chunk"))
    ctx->reset_at = MAX (ctx->expected / 2, 1);
  else if (take_fault (self, "upload-5xx"))
    ctx->fail_500 = TRUE;

  g_free (draft->content_type);
  draft->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  draft->put_in_progress = TRUE;

  g_object_set_data_full (G_OBJECT (msg), "ttd-put", ctx, put_context_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), ctx);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), ctx);
}

/* Runs once the whole body has arrived (only if the early handler accepted). */
static void
upload_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Emulator *self = user_data;
  PutContext *ctx = g_object_get_data (G_OBJECT (msg), "ttd-put");
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autofree char *range = NULL;
  Draft *draft;

  if (g_object_get_data (G_OBJECT (msg), "ttd-cut") != NULL)
    return;

  if (ctx == NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "Bad upload request");
      return;
    }

  draft = g_hash_table_lookup (self->drafts_by_id, ctx->publish_id);
  if (draft == NULL)
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, "invalid_params", "No upload task for this URL");
      return;
    }

  if (ctx->aborted)
    {
      /* The socket is already shut down; nothing will reach the client. */
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error", "Connection reset");
      return;
    }

  if (ctx->received != ctx->expected)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "The body length does not match Content-Length");
      return;
    }

  if (ctx->fail_500)
    {
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                  "Something went wrong. Please try again later.");
      return;
    }

  /* Commit the chunk. */
  g_checksum_free (draft->checksum);
  draft->checksum = g_steal_pointer (&ctx->work);
  if (ctx->first == 0)
    {
      memcpy (draft->head, ctx->head, ctx->head_len);
      draft->head_len = ctx->head_len;
    }
  draft->uploaded_bytes += ctx->expected;
  draft->chunks_received++;

  range = g_strdup_printf ("bytes 0-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                           ctx->last, draft->video_size);
  soup_message_headers_replace (response_headers, "Content-Range", range);

  if (draft->uploaded_bytes == draft->video_size)
    {
      draft->upload_complete = TRUE;
      draft->sha256 = g_strdup (g_checksum_get_string (draft->checksum));
      draft_start_processing (draft);
      soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
    }
}

/* ------------------------------------------------------------------ */
/* photo probing (JPEG / WebP headers)                                  */
/* ------------------------------------------------------------------ */

static ProbeResult
probe_jpeg (const guint8 *d,
            gsize         len,
            gboolean      eof,
            ProbeInfo    *info)
{
  gsize pos = 2;

  for (;;)
    {
      guint8 marker;
      gsize seglen;

      if (pos + 1 >= len)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      if (d[pos] != 0xff)
        return PROBE_BAD_FORMAT;

      marker = d[pos + 1];
      if (marker == 0xff)
        {
          pos++;
          continue;
        }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          pos += 2;
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)
        return PROBE_BAD_FORMAT;       /* no frame header before the scan */

      if (pos + 3 >= len)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      seglen = ((gsize) d[pos + 2] << 8) | d[pos + 3];
      if (seglen < 2)
        return PROBE_BAD_FORMAT;

      if (marker == 0xc0 || marker == 0xc1 || marker == 0xc2)
        {
          if (pos + 8 >= len)
            return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
          info->height = (d[pos + 5] << 8) | d[pos + 6];
          info->width = (d[pos + 7] << 8) | d[pos + 8];
          info->progressive = marker == 0xc2;
          info->format = "jpeg";
          return info->width > 0 && info->height > 0 ? PROBE_OK : PROBE_BAD_FORMAT;
        }
      if ((marker >= 0xc3 && marker <= 0xcf) && marker != 0xc4 && marker != 0xc8 &&
          marker != 0xcc)
        return PROBE_BAD_FORMAT;       /* lossless / arithmetic coding */

      if (marker == 0xe1 && seglen >= 8)
        {
          if (pos + 10 > len)
            return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
          if (memcmp (d + pos + 4, "Exif\0\0", 6) == 0)
            info->has_exif = TRUE;
        }

      pos += 2 + seglen;
    }
}

static ProbeResult
probe_webp (const guint8 *d,
            gsize         len,
            gboolean      eof,
            ProbeInfo    *info)
{
  if (len < 30)
    return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;

  info->format = "webp";
  if (memcmp (d + 12, "VP8 ", 4) == 0)
    {
      if (d[23] != 0x9d || d[24] != 0x01 || d[25] != 0x2a)
        return PROBE_BAD_FORMAT;
      info->width = (d[26] | (d[27] << 8)) & 0x3fff;
      info->height = (d[28] | (d[29] << 8)) & 0x3fff;
    }
  else if (memcmp (d + 12, "VP8L", 4) == 0)
    {
      guint32 bits;

      if (d[20] != 0x2f)
        return PROBE_BAD_FORMAT;
      bits = (guint32) d[21] | ((guint32) d[22] << 8) | ((guint32) d[23] << 16) |
             ((guint32) d[24] << 24);
      info->width = (int) (bits & 0x3fff) + 1;
      info->height = (int) ((bits >> 14) & 0x3fff) + 1;
    }
  else if (memcmp (d + 12, "VP8X", 4) == 0)
    {
      info->has_exif = (d[20] & 0x08) != 0;
      info->width = 1 + (int) (d[24] | (d[25] << 8) | (d[26] << 16));
      info->height = 1 + (int) (d[27] | (d[28] << 8) | (d[29] << 16));
    }
  else
    {
      return PROBE_BAD_FORMAT;
    }

  return info->width > 0 && info->height > 0 ? PROBE_OK : PROBE_BAD_FORMAT;
}

static ProbeResult
probe_image (const guint8 *d,
             gsize         len,
             gboolean      eof,
             ProbeInfo    *info)
{
  static const guint8 jpeg_magic[3] = { 0xff, 0xd8, 0xff };

  if (memcmp (d, jpeg_magic, MIN (len, 3)) == 0)
    {
      if (len < 3)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      return probe_jpeg (d, len, eof, info);
    }

  if (memcmp (d, "RIFF", MIN (len, 4)) == 0)
    {
      if (len < 12)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      if (memcmp (d + 8, "WEBP", 4) != 0)
        return PROBE_BAD_FORMAT;
      return probe_webp (d, len, eof, info);
    }

  return PROBE_BAD_FORMAT;
}

/* ------------------------------------------------------------------ */
/* photo pulls                                                          */
/* ------------------------------------------------------------------ */

static void photo_job_start (Emulator   *self,
                             const char *publish_id,
                             guint       index);

static void
photo_job_free (PhotoJob *job)
{
  g_free (job->publish_id);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->msg);
  g_clear_object (&job->stream);
  g_clear_pointer (&job->checksum, g_checksum_free);
  g_clear_pointer (&job->probe, g_byte_array_unref);
  g_free (job);
}

/* Looks the draft up again: it may have been reset or cancelled meanwhile. */
static Draft *
photo_job_draft (PhotoJob *job)
{
  Draft *draft = g_hash_table_lookup (job->emu->drafts_by_id, job->publish_id);

  if (draft == NULL || draft->status != STATUS_DOWNLOAD ||
      g_cancellable_is_cancelled (job->cancellable))
    return NULL;

  return draft;
}

static void
photo_job_fail (PhotoJob   *job,
                const char *reason)
{
  Draft *draft = photo_job_draft (job);

  if (draft != NULL)
    draft_fail (draft, reason);
  photo_job_free (job);
}

static void
photo_job_complete (PhotoJob *job)
{
  Draft *draft = photo_job_draft (job);
  PhotoImage *image;
  int short_side, long_side;

  if (draft == NULL)
    {
      photo_job_free (job);
      return;
    }

  if (!job->probed)
    {
      ProbeResult result = PROBE_BAD_FORMAT;

      if (job->probe != NULL && job->probe->len > 0)
        result = probe_image (job->probe->data, job->probe->len, TRUE, &job->info);
      if (result != PROBE_OK)
        {
          photo_job_fail (job, "file_format_check_failed");
          return;
        }
    }

  short_side = MIN (job->info.width, job->info.height);
  long_side = MAX (job->info.width, job->info.height);
  if (short_side > 1080 || long_side > 1920)
    {
      photo_job_fail (job, "picture_size_check_failed");
      return;
    }

  image = g_new0 (PhotoImage, 1);
  image->url = g_strdup (g_ptr_array_index (draft->photo_urls, job->index));
  image->size = job->size;
  image->sha256 = g_strdup (g_checksum_get_string (job->checksum));
  image->format = job->info.format;
  image->width = job->info.width;
  image->height = job->info.height;
  image->has_exif = job->info.has_exif;
  image->progressive = job->info.progressive;
  g_ptr_array_add (draft->photo_images, image);

  if (job->index + 1 < draft->photo_urls->len)
    photo_job_start (job->emu, job->publish_id, job->index + 1);
  else
    draft_start_processing (draft);

  photo_job_free (job);
}

static void
photo_job_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PhotoJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source),
                                                              result, &error);
  const guint8 *data;
  gsize len = 0;
  Draft *draft;

  if (bytes == NULL)
    {
      photo_job_fail (job, "photo_pull_failed");
      return;
    }

  draft = photo_job_draft (job);
  if (draft == NULL)
    {
      photo_job_free (job);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      photo_job_complete (job);
      return;
    }

  job->size += (gint64) len;
  draft->downloaded_bytes += (gint64) len;
  if (job->size > MAX_PHOTO_BYTES)
    {
      photo_job_fail (job, "picture_size_check_failed");
      return;
    }
  g_checksum_update (job->checksum, data, (gssize) len);

  if (!job->probed)
    {
      ProbeResult probe;

      g_byte_array_append (job->probe, data, (guint) len);
      probe = probe_image (job->probe->data, job->probe->len, FALSE, &job->info);
      if (probe == PROBE_BAD_FORMAT ||
          (probe == PROBE_NEED_MORE && job->probe->len > PROBE_CAP))
        {
          photo_job_fail (job, "file_format_check_failed");
          return;
        }
      if (probe == PROBE_OK)
        {
          job->probed = TRUE;
          g_clear_pointer (&job->probe, g_byte_array_unref);
        }
    }

  g_input_stream_read_bytes_async (job->stream, READ_BLOCK, G_PRIORITY_DEFAULT,
                                   job->cancellable, photo_job_read_cb, job);
}

static void
photo_job_sent_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PhotoJob *job = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  job->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (job->stream == NULL ||
      soup_message_get_status (job->msg) != SOUP_STATUS_OK)
    {
      photo_job_fail (job, "photo_pull_failed");
      return;
    }

  headers = soup_message_get_response_headers (job->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_PHOTO_BYTES)
    {
      photo_job_fail (job, "picture_size_check_failed");
      return;
    }

  g_input_stream_read_bytes_async (job->stream, READ_BLOCK, G_PRIORITY_DEFAULT,
                                   job->cancellable, photo_job_read_cb, job);
}

static void
photo_job_start (Emulator   *self,
                 const char *publish_id,
                 guint       index)
{
  Draft *draft = g_hash_table_lookup (self->drafts_by_id, publish_id);
  PhotoJob *job;

  if (draft == NULL)
    return;

  job = g_new0 (PhotoJob, 1);
  job->emu = self;
  job->publish_id = g_strdup (publish_id);
  job->index = index;
  job->cancellable = g_object_ref (draft->cancellable);
  job->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  job->probe = g_byte_array_new ();
  job->msg = soup_message_new (SOUP_METHOD_GET, g_ptr_array_index (draft->photo_urls, index));
  if (job->msg == NULL)
    {
      photo_job_fail (job, "photo_pull_failed");
      return;
    }
  soup_message_add_flags (job->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (self->session, job->msg, G_PRIORITY_DEFAULT,
                           job->cancellable, photo_job_sent_cb, job);
}

/* ------------------------------------------------------------------ */
/* content init (photos)                                                */
/* ------------------------------------------------------------------ */

static void
handle_content_init (Emulator          *self,
                     SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) data = NULL;
  JsonObject *source_info, *post_info;
  JsonNode *node;
  JsonArray *images;
  const char *media_type, *post_mode, *source, *title = NULL, *description = NULL;
  gint64 cover = -1;
  Grant *grant;
  Draft *draft;
  guint n, i;

  self->counts.content_inits++;

  grant = require_grant (self, msg);
  if (grant == NULL)
    return;

  if (!init_gate (self, msg, grant->content_init_times))
    return;

  body = parse_json_body (msg);
  if (body == NULL)
    return;

  media_type = json_get_string (body, "media_type");
  post_mode = json_get_string (body, "post_mode");
  if (g_strcmp0 (media_type, "PHOTO") != 0)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "media_type must be PHOTO");
      return;
    }

  if (g_strcmp0 (post_mode, "DIRECT_POST") == 0)
    {
      record_direct_post (self, msg);
      if (!grant_has_scope (grant, "video.publish"))
        send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                    "The user did not authorize the scope required for completing this request.");
      else
        send_error (msg, SOUP_STATUS_FORBIDDEN,
                    "unaudited_client_can_only_post_to_private_accounts",
                    "Unaudited clients can only post to private accounts.");
      return;
    }

  if (g_strcmp0 (post_mode, "MEDIA_UPLOAD") != 0)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "post_mode must be MEDIA_UPLOAD or DIRECT_POST");
      return;
    }

  if (!grant_has_scope (grant, "video.upload"))
    {
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                  "The user did not authorize the scope required for completing this request.");
      return;
    }

  source_info = json_get_object (body, "source_info");
  source = json_get_string (source_info, "source");
  if (g_strcmp0 (source, "PULL_FROM_URL") != 0)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "source_info.source must be PULL_FROM_URL for photos");
      return;
    }

  node = json_object_get_member (source_info, "photo_images");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "source_info.photo_images must be a list of URLs");
      return;
    }
  images = json_node_get_array (node);
  n = json_array_get_length (images);
  if (n < 1 || n > MAX_PHOTOS)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "source_info.photo_images must hold 1 to 35 URLs");
      return;
    }
  for (i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (images, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "source_info.photo_images must hold strings");
          return;
        }
    }

  if (!json_get_int (source_info, "photo_cover_index", &cover) || cover < 0 || cover >= n)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                  "source_info.photo_cover_index is missing or out of range");
      return;
    }

  node = json_object_get_member (body, "post_info");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "post_info must be an object");
      return;
    }
  post_info = json_get_object (body, "post_info");
  if (post_info != NULL)
    {
      /* privacy_level, disable_comment, auto_add_music and the brand
       * toggles are DIRECT_POST-only: ignored for MEDIA_UPLOAD. */
      if ((json_object_has_member (post_info, "title") &&
           (title = json_get_string (post_info, "title")) == NULL) ||
          (json_object_has_member (post_info, "description") &&
           (description = json_get_string (post_info, "description")) == NULL))
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "post_info.title and post_info.description must be strings");
          return;
        }
      if (title != NULL && utf16_length (title) > MAX_TITLE)
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "post_info.title is longer than 90 characters");
          return;
        }
      if (description != NULL && utf16_length (description) > MAX_DESCRIPTION)
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "post_info.description is longer than 4000 characters");
          return;
        }
    }

  for (i = 0; i < n; i++)
    {
      if (!url_is_verified (self, json_array_get_string_element (images, i)))
        {
          send_error (msg, SOUP_STATUS_FORBIDDEN, "url_ownership_unverified",
                      "A photo URL is not under a verified domain or URL prefix.");
          return;
        }
    }

  if (!pending_gate (self, msg, grant))
    return;

  draft = draft_new (self, KIND_PHOTO, grant, "p_pub_url~v2.");
  draft->status = STATUS_DOWNLOAD;
  draft->photo_urls = g_ptr_array_new_with_free_func (g_free);
  draft->photo_images = g_ptr_array_new_with_free_func (photo_image_free);
  for (i = 0; i < n; i++)
    g_ptr_array_add (draft->photo_urls, g_strdup (json_array_get_string_element (images, i)));
  draft->photo_cover_index = cover;
  draft->title = g_strdup (title);
  draft->description = g_strdup (description);
  draft->cancellable = g_cancellable_new ();

  photo_job_start (self, draft->publish_id, 0);

  data = json_object_new ();
  json_object_set_string_member (data, "publish_id", draft->publish_id);
  send_ok (msg, data);
}

/* ------------------------------------------------------------------ */
/* status, cancel, direct post                                          */
/* ------------------------------------------------------------------ */

/* Parses {"publish_id": …} and checks ownership; answers on failure. */
static Draft *
lookup_publish_id (Emulator          *self,
                   SoupServerMessage *msg,
                   Grant             *grant)
{
  g_autoptr(JsonObject) body = parse_json_body (msg);
  const char *publish_id;
  Draft *draft;

  if (body == NULL)
    return NULL;

  publish_id = json_get_string (body, "publish_id");
  if (publish_id == NULL || *publish_id == '\0')
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "publish_id is required");
      return NULL;
    }

  draft = g_hash_table_lookup (self->drafts_by_id, publish_id);
  if (draft == NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_publish_id",
                  "The publish_id does not exist.");
      return NULL;
    }

  if (!g_str_equal (draft->open_id, grant->open_id) ||
      !g_str_equal (draft->client_key, grant->client_key))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "token_not_authorized_for_specified_publish_id",
                  "The access token is not authorized for this publish_id.");
      return NULL;
    }

  return draft;
}

static void
handle_status_fetch (Emulator          *self,
                     SoupServerMessage *msg)
{
  g_autoptr(JsonObject) data = NULL;
  Grant *grant;
  Draft *draft;

  self->counts.status_fetches++;

  grant = require_grant (self, msg);
  if (grant == NULL)
    return;

  if (!grant_has_scope (grant, "video.upload") && !grant_has_scope (grant, "video.publish"))
    {
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                  "The user did not authorize the scope required for completing this request.");
      return;
    }

  if (rate_limited (grant->status_times, STATUS_LIMIT))
    {
      send_error (msg, 429, "rate_limit_exceeded",
                  "API rate limit was exceeded, please try again later.");
      return;
    }

  if (take_fault (self, "status-5xx"))
    {
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                  "Something went wrong. Please try again later.");
      return;
    }

  draft = lookup_publish_id (self, msg, grant);
  if (draft == NULL)
    return;

  data = json_object_new ();
  json_object_set_string_member (data, "status", draft->status);
  if (draft->status == STATUS_FAILED)
    json_object_set_string_member (data, "fail_reason", draft->fail_reason);
  json_object_set_array_member (data, "publicaly_available_post_id", json_array_new ());
  if (draft->kind == KIND_VIDEO)
    json_object_set_int_member (data, "uploaded_bytes", draft->uploaded_bytes);
  else
    json_object_set_int_member (data, "downloaded_bytes", draft->downloaded_bytes);
  send_ok (msg, data);
}

static void
handle_cancel (Emulator          *self,
               SoupServerMessage *msg)
{
  Grant *grant;
  Draft *draft;

  self->counts.cancels++;

  grant = require_grant (self, msg);
  if (grant == NULL)
    return;

  if (!grant_has_scope (grant, "video.upload") && !grant_has_scope (grant, "video.publish"))
    {
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                  "The user did not authorize the scope required for completing this request.");
      return;
    }

  if (rate_limited (grant->cancel_times, CANCEL_LIMIT))
    {
      send_error (msg, 429, "rate_limit_exceeded",
                  "API rate limit was exceeded, please try again later.");
      return;
    }

  draft = lookup_publish_id (self, msg, grant);
  if (draft == NULL)
    return;

  if (draft->kind != KIND_PHOTO || draft->status != STATUS_DOWNLOAD ||
      draft->timeout_id != 0)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "publish_not_cancellable",
                  "The publish task can no longer be cancelled.");
      return;
    }

  g_cancellable_cancel (draft->cancellable);
  draft_fail (draft, "publish_cancelled");
  send_ok (msg, NULL);
}

static void
handle_direct_post (Emulator          *self,
                    SoupServerMessage *msg)
{
  Grant *grant;

  record_direct_post (self, msg);

  grant = require_grant (self, msg);
  if (grant == NULL)
    return;

  if (!grant_has_scope (grant, "video.publish"))
    send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                "The user did not authorize the scope required for completing this request.");
  else
    send_error (msg, SOUP_STATUS_FORBIDDEN, "unaudited_client_can_only_post_to_private_accounts",
                "Unaudited clients can only post to private accounts.");
}

/* ------------------------------------------------------------------ */
/* admin API                                                            */
/* ------------------------------------------------------------------ */

static void
build_draft_json (JsonBuilder *b,
                  Draft       *draft,
                  gint64       now)
{
  g_autofree char *created = iso8601_from_us (draft->created_at);
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "publish_id");
  json_builder_add_string_value (b, draft->publish_id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, draft->kind == KIND_VIDEO ? "video" : "photo");
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, draft->status);
  json_builder_set_member_name (b, "fail_reason");
  if (draft->fail_reason != NULL)
    json_builder_add_string_value (b, draft->fail_reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "open_id");
  json_builder_add_string_value (b, draft->open_id);
  json_builder_set_member_name (b, "acted_on");
  json_builder_add_boolean_value (b, draft->acted_on);
  json_builder_set_member_name (b, "pending");
  json_builder_add_boolean_value (b, draft_is_pending (draft, now));
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);

  if (draft->kind == KIND_VIDEO)
    {
      json_builder_set_member_name (b, "video_size");
      json_builder_add_int_value (b, draft->video_size);
      json_builder_set_member_name (b, "chunk_size");
      json_builder_add_int_value (b, draft->chunk_size);
      json_builder_set_member_name (b, "total_chunk_count");
      json_builder_add_int_value (b, draft->total_chunk_count);
      json_builder_set_member_name (b, "uploaded_bytes");
      json_builder_add_int_value (b, draft->uploaded_bytes);
      json_builder_set_member_name (b, "chunks_received");
      json_builder_add_int_value (b, draft->chunks_received);
      json_builder_set_member_name (b, "put_attempts");
      json_builder_add_int_value (b, draft->put_attempts);
      json_builder_set_member_name (b, "inits_for_this_draft");
      json_builder_add_int_value (b, draft->inits_for_this_draft);
      json_builder_set_member_name (b, "upload_complete");
      json_builder_add_boolean_value (b, draft->upload_complete);
      json_builder_set_member_name (b, "upload_url_expired");
      json_builder_add_boolean_value (b, draft->upload_expires_at <= now);
      json_builder_set_member_name (b, "sha256");
      if (draft->sha256 != NULL)
        json_builder_add_string_value (b, draft->sha256);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "content_type");
      if (draft->content_type != NULL)
        json_builder_add_string_value (b, draft->content_type);
      else
        json_builder_add_null_value (b);
    }
  else
    {
      json_builder_set_member_name (b, "downloaded_bytes");
      json_builder_add_int_value (b, draft->downloaded_bytes);
      json_builder_set_member_name (b, "title");
      if (draft->title != NULL)
        json_builder_add_string_value (b, draft->title);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "description");
      if (draft->description != NULL)
        json_builder_add_string_value (b, draft->description);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "photo_cover_index");
      json_builder_add_int_value (b, draft->photo_cover_index);
      json_builder_set_member_name (b, "photo_urls");
      json_builder_begin_array (b);
      for (i = 0; i < draft->photo_urls->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (draft->photo_urls, i));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "photo_images");
      json_builder_begin_array (b);
      for (i = 0; i < draft->photo_images->len; i++)
        {
          PhotoImage *image = g_ptr_array_index (draft->photo_images, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "url");
          json_builder_add_string_value (b, image->url);
          json_builder_set_member_name (b, "size");
          json_builder_add_int_value (b, image->size);
          json_builder_set_member_name (b, "sha256");
          json_builder_add_string_value (b, image->sha256);
          json_builder_set_member_name (b, "format");
          json_builder_add_string_value (b, image->format);
          json_builder_set_member_name (b, "width");
          json_builder_add_int_value (b, image->width);
          json_builder_set_member_name (b, "height");
          json_builder_add_int_value (b, image->height);
          json_builder_set_member_name (b, "has_exif");
          json_builder_add_boolean_value (b, image->has_exif);
          json_builder_set_member_name (b, "progressive");
          json_builder_add_boolean_value (b, image->progressive);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
}

static void
add_count (JsonBuilder *b,
           const char  *name,
           gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
handle_admin_state (Emulator          *self,
                    SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  guint live_access = 0, live_refresh = 0;
  char *text;
  guint i;

  g_hash_table_iter_init (&iter, self->grants_by_refresh);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Grant *grant = value;

      if (grant->access_expires_at > now)
        live_access++;
      if (grant->refresh_expires_at > now)
        live_refresh++;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "open_id");
  json_builder_add_string_value (b, self->open_id);
  json_builder_set_member_name (b, "union_id");
  json_builder_add_string_value (b, self->union_id);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, self->display_name);

  json_builder_set_member_name (b, "drafts");
  json_builder_begin_array (b);
  for (i = 0; i < self->drafts->len; i++)
    build_draft_json (b, g_ptr_array_index (self->drafts, i), now);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "pending_drafts");
  json_builder_add_int_value (b, count_pending (self, self->open_id));

  json_builder_set_member_name (b, "direct_post_attempts");
  json_builder_begin_array (b);
  for (i = 0; i < self->direct_post_attempts->len; i++)
    {
      DirectPostAttempt *attempt = g_ptr_array_index (self->direct_post_attempts, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, attempt->method);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, attempt->path);
      json_builder_set_member_name (b, "time");
      json_builder_add_string_value (b, attempt->time);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  add_count (b, "authorize", self->counts.authorize);
  add_count (b, "token_exchanges", self->counts.token_exchanges);
  add_count (b, "refreshes", self->counts.refreshes);
  add_count (b, "revokes", self->counts.revokes);
  add_count (b, "video_inits", self->counts.video_inits);
  add_count (b, "content_inits", self->counts.content_inits);
  add_count (b, "status_fetches", self->counts.status_fetches);
  add_count (b, "puts", self->counts.puts);
  add_count (b, "user_info", self->counts.user_info);
  add_count (b, "cancels", self->counts.cancels);
  add_count (b, "direct_post_attempts", self->counts.direct_post);
  json_builder_end_object (b);

  add_count (b, "live_access_tokens", live_access);
  add_count (b, "live_refresh_tokens", live_refresh);

  json_builder_set_member_name (b, "armed_faults");
  json_builder_begin_array (b);
  for (i = 0; i < self->faults->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (self->faults, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "requests");
  json_builder_begin_array (b);
  for (i = 0; i < self->requests->len; i++)
    {
      RequestRecord *rec = g_ptr_array_index (self->requests, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, rec->method);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, rec->path);
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, rec->status);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
send_admin_reply (SoupServerMessage *msg,
                  guint              status,
                  const char        *key,
                  JsonNode          *value)
{
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_member (root, key, value);
  send_json_object (msg, status, root);
}

static void
handle_admin_fault (Emulator          *self,
                    SoupServerMessage *msg)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  const char *name = NULL;
  gsize len = 0;
  gint64 now = g_get_monotonic_time ();
  guint i;

  text = request_body_text (msg, &len);
  if (json_parser_load_from_data (parser, text, len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    name = json_get_string (json_node_get_object (root), "fault");

  if (name == NULL || !g_strv_contains (fault_names, name))
    {
      JsonNode *error = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (error, name != NULL ? "unknown fault" : "body must be {\"fault\": NAME}");
      send_admin_reply (msg, SOUP_STATUS_BAD_REQUEST, "error", error);
      return;
    }

  /* Two faults act at once rather than on the next matching request. */
  if (g_str_equal (name, "expire-access-tokens"))
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->grants_by_refresh);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ((Grant *) value)->access_expires_at = MIN (((Grant *) value)->access_expires_at, now - 1);
    }
  else if (g_str_equal (name, "expire-upload-urls"))
    {
      for (i = 0; i < self->drafts->len; i++)
        {
          Draft *draft = g_ptr_array_index (self->drafts, i);

          if (draft->kind == KIND_VIDEO)
            draft->upload_expires_at = MIN (draft->upload_expires_at, now - 1);
        }
    }
  else if (g_str_equal (name, "outage"))
    {
      /* "The network is gone" for three seconds: every connection is cut
       * before it is answered. */
      self->outage_until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    }
  else
    {
      g_ptr_array_add (self->faults, g_strdup (name));
    }

  {
    JsonNode *armed = json_node_new (JSON_NODE_VALUE);

    json_node_set_string (armed, name);
    send_admin_reply (msg, SOUP_STATUS_OK, "armed", armed);
  }
}

static void
handle_admin_act (Emulator          *self,
                  SoupServerMessage *msg)
{
  JsonNode *count = json_node_new (JSON_NODE_VALUE);
  gint64 acted = 0;
  guint i;

  for (i = 0; i < self->drafts->len; i++)
    {
      Draft *draft = g_ptr_array_index (self->drafts, i);

      if (draft->status == STATUS_INBOX && !draft->acted_on)
        {
          draft->acted_on = TRUE;
          acted++;
        }
    }

  json_node_set_int (count, acted);
  send_admin_reply (msg, SOUP_STATUS_OK, "acted", count);
}

static void
handle_admin_reset (Emulator          *self,
                    SoupServerMessage *msg)
{
  JsonNode *done = json_node_new (JSON_NODE_VALUE);

  g_hash_table_remove_all (self->codes);
  g_hash_table_remove_all (self->grants_by_access);
  g_hash_table_remove_all (self->grants_by_refresh);
  g_hash_table_remove_all (self->drafts_by_id);
  g_hash_table_remove_all (self->drafts_by_upload_id);
  g_ptr_array_set_size (self->drafts, 0);
  g_ptr_array_set_size (self->faults, 0);
  g_ptr_array_set_size (self->direct_post_attempts, 0);
  g_ptr_array_set_size (self->requests, 0);
  memset (&self->counts, 0, sizeof self->counts);

  json_node_set_boolean (done, TRUE);
  send_admin_reply (msg, SOUP_STATUS_OK, "reset", done);
}

/* ------------------------------------------------------------------ */
/* dispatch                                                             */
/* ------------------------------------------------------------------ */

static gboolean
require_method (SoupServerMessage *msg,
                const char        *method)
{
  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;

  send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_params",
              "The HTTP method is not allowed for this endpoint");
  return FALSE;
}

static void
default_early_handler (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (cut_if_outage (user_data, msg))
    return;

  /* API bodies are small; refuse to buffer anything large. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_BODY)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "invalid_params",
                  "The request body is too large");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
    }
}

static void
default_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Emulator *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (g_object_get_data (G_OBJECT (msg), "ttd-cut") != NULL)
    return;

  /* Every body mentioning DIRECT_POST is recorded, whatever the endpoint. */
  if (g_str_equal (method, "POST") && g_str_has_prefix (path, "/v2/"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);

      if (data != NULL && g_strstr_len (data, (gssize) len, "DIRECT_POST") != NULL)
        record_direct_post (self, msg);
    }

  if (g_str_equal (path, "/v2/auth/authorize/"))
    {
      if (require_method (msg, "GET"))
        handle_authorize (self, msg, query);
    }
  else if (g_str_equal (path, "/v2/oauth/token/"))
    {
      if (require_method (msg, "POST"))
        handle_token (self, msg);
    }
  else if (g_str_equal (path, "/v2/oauth/revoke/"))
    {
      if (require_method (msg, "POST"))
        handle_revoke (self, msg);
    }
  else if (g_str_equal (path, "/v2/user/info/"))
    {
      if (require_method (msg, "GET"))
        handle_user_info (self, msg, query);
    }
  else if (g_str_equal (path, "/v2/post/publish/inbox/video/init/"))
    {
      if (require_method (msg, "POST"))
        handle_video_init (self, msg);
    }
  else if (g_str_equal (path, "/v2/post/publish/content/init/"))
    {
      if (require_method (msg, "POST"))
        handle_content_init (self, msg);
    }
  else if (g_str_equal (path, "/v2/post/publish/status/fetch/"))
    {
      if (require_method (msg, "POST"))
        handle_status_fetch (self, msg);
    }
  else if (g_str_equal (path, "/v2/post/publish/cancel/"))
    {
      if (require_method (msg, "POST"))
        handle_cancel (self, msg);
    }
  else if (g_str_equal (path, "/v2/post/publish/video/init/") ||
           g_str_equal (path, "/v2/post/publish/creator_info/query/"))
    {
      handle_direct_post (self, msg);
    }
  else if (g_str_equal (path, "/_emulator/state"))
    {
      if (require_method (msg, "GET"))
        handle_admin_state (self, msg);
    }
  else if (g_str_equal (path, "/_emulator/fault"))
    {
      if (require_method (msg, "POST"))
        handle_admin_fault (self, msg);
    }
  else if (g_str_equal (path, "/_emulator/act-on-drafts"))
    {
      if (require_method (msg, "POST"))
        handle_admin_act (self, msg);
    }
  else if (g_str_equal (path, "/_emulator/reset"))
    {
      if (require_method (msg, "POST"))
        handle_admin_reset (self, msg);
    }
  else if (g_str_equal (path, "/_emulator/avatar.png"))
    {
      if (require_method (msg, "GET"))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg),
                                          self->avatar_png);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Content-Type", "image/png");
        }
    }
  else
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
    }
}

static void
log_request (Emulator          *self,
             SoupServerMessage *msg,
             gboolean           aborted)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  guint status = soup_server_message_get_status (msg);
  RequestRecord *rec;

  if (method == NULL)
    return;
  if (aborted && g_object_get_data (G_OBJECT (msg), "ttd-deliberate-500") != NULL)
    {
      PutContext *ctx = g_object_get_data (G_OBJECT (msg), "ttd-put");

      aborted = ctx != NULL && ctx->aborted;
    }

  fprintf (stderr, "%s %s %u%s\n", method, path, status, aborted ? " (aborted)" : "");
  fflush (stderr);

  if (self->requests->len >= MAX_REQUEST_LOG)
    g_ptr_array_remove_index (self->requests, 0);
  rec = g_new0 (RequestRecord, 1);
  rec->method = g_strdup (method);
  rec->path = g_strdup (path);
  rec->status = aborted ? 0 : status;
  g_ptr_array_add (self->requests, rec);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  log_request (user_data, msg, FALSE);
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  log_request (user_data, msg, TRUE);
}

/* ------------------------------------------------------------------ */
/* start-up                                                             */
/* ------------------------------------------------------------------ */

static GBytes *
make_avatar_png (GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 100, 100);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  gchar *buffer = NULL;
  gsize size = 0;
  int x, y;

  for (y = 0; y < 100; y++)
    {
      for (x = 0; x < 100; x++)
        {
          guint8 *p = pixels + y * stride + x * 4;
          double dx = x - 49.5, dy = y - 49.5;
          double t = (x + y) / 198.0;
          gboolean inside = dx * dx + dy * dy <= 48.0 * 48.0;

          /* TikTok-ish gradient from cyan to pink */
          p[0] = (guint8) (0x25 + t * (0xfe - 0x25));
          p[1] = (guint8) (0xf4 + t * (0x2c - 0xf4));
          p[2] = (guint8) (0xee + t * (0x55 - 0xee));
          p[3] = inside ? 0xff : 0x00;
        }
    }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL))
    return NULL;

  return g_bytes_new_take (buffer, size);
}

static gboolean
quit_cb (gpointer user_data)
{
  Emulator *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_CONTINUE;
}

static char **
normalise_prefixes (char  **prefixes,
                    GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint i;

  for (i = 0; prefixes != NULL && prefixes[i] != NULL; i++)
    {
      const char *prefix = prefixes[i];
      g_autofree char *fixed = NULL;

      if (!g_str_has_prefix (prefix, "https://") &&
          !g_str_has_prefix (prefix, "http://127.0.0.1:") &&
          !g_str_has_prefix (prefix, "http://localhost:"))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--verified-prefix %s: must be https:// (or http://127.0.0.1:PORT/ / "
                       "http://localhost:PORT/ for tests)", prefix);
          return NULL;
        }
      if (!g_uri_is_valid (prefix, G_URI_FLAGS_NONE, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--verified-prefix %s: not a valid URL", prefix);
          return NULL;
        }

      fixed = g_str_has_suffix (prefix, "/") ? g_strdup (prefix) : g_strconcat (prefix, "/", NULL);
      g_strv_builder_add (builder, fixed);
    }

  return g_strv_builder_end (builder);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const default_redirects[] = {
    "http://127.0.0.1:*/callback/", "http://localhost:*/callback/", NULL
  };
  int port = 0;
  g_autofree char *client_key = NULL;
  g_autofree char *client_secret = NULL;
  g_auto(GStrv) redirect_uris = NULL;
  gint64 access_ttl = 86400, refresh_ttl = 31536000, upload_url_ttl = 3600;
  int processing_ms = 1500;
  g_auto(GStrv) verified_prefixes = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *url_file = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0 = ephemeral)", "N" },
    { "client-key", 0, 0, G_OPTION_ARG_STRING, &client_key, "Registered client key", "K" },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret, "Client secret", "S" },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING_ARRAY, &redirect_uris,
      "Registered redirect URI pattern (repeatable; * port wildcard)", "PATTERN" },
    { "access-ttl", 0, 0, G_OPTION_ARG_INT64, &access_ttl, "Access token lifetime", "SECONDS" },
    { "refresh-ttl", 0, 0, G_OPTION_ARG_INT64, &refresh_ttl, "Refresh token lifetime", "SECONDS" },
    { "upload-url-ttl", 0, 0, G_OPTION_ARG_INT64, &upload_url_ttl, "Upload URL lifetime", "SECONDS" },
    { "processing-ms", 0, 0, G_OPTION_ARG_INT, &processing_ms,
      "Time a finished upload/pull stays PROCESSING_*", "MS" },
    { "verified-prefix", 0, 0, G_OPTION_ARG_STRING_ARRAY, &verified_prefixes,
      "Verified URL prefix for PULL_FROM_URL (repeatable)", "URL" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, "Emulated user's name", "NAME" },
    { "url-file", 0, 0, G_OPTION_ARG_FILENAME, &url_file, "Write the base URL here", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  Emulator emu = { 0 };
  Emulator *self = &emu;
  GSList *l;

  context = g_option_context_new ("- local TikTok API emulator for TikTok Drafts tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tiktok-drafts-emulator: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || access_ttl < 0 || refresh_ttl < 0 || upload_url_ttl < 0 ||
      processing_ms < 0)
    {
      g_printerr ("tiktok-drafts-emulator: numeric options must be non-negative (port <= 65535)\n");
      return 2;
    }

  self->client_key = client_key != NULL ? g_strdup (client_key) : g_strdup ("demo-client-key");
  self->client_secret = client_secret != NULL ? g_strdup (client_secret) : g_strdup ("demo-client-secret");
  self->redirect_uris = (redirect_uris != NULL && redirect_uris[0] != NULL) ?
                        g_strdupv (redirect_uris) : g_strdupv ((char **) default_redirects);
  self->access_ttl = access_ttl;
  self->refresh_ttl = refresh_ttl;
  self->upload_url_ttl = upload_url_ttl;
  self->processing_ms = processing_ms;
  self->verified_prefixes = normalise_prefixes (verified_prefixes, &error);
  if (self->verified_prefixes == NULL)
    {
      g_printerr ("tiktok-drafts-emulator: %s\n", error->message);
      return 2;
    }
  self->display_name = display_name != NULL ? g_strdup (display_name) : g_strdup ("Demo Creator");
  self->open_id = random_uuid ();
  self->union_id = random_uuid ();
  self->avatar_png = make_avatar_png (&error);
  if (self->avatar_png == NULL)
    {
      g_printerr ("tiktok-drafts-emulator: cannot render avatar: %s\n", error->message);
      return 1;
    }

  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, auth_code_free);
  self->grants_by_access = g_hash_table_new (g_str_hash, g_str_equal);
  self->grants_by_refresh = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, grant_free);
  self->drafts = g_ptr_array_new_with_free_func (draft_free);
  self->drafts_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->drafts_by_upload_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->faults = g_ptr_array_new_with_free_func (g_free);
  self->direct_post_attempts = g_ptr_array_new_with_free_func (direct_post_attempt_free);
  self->requests = g_ptr_array_new_with_free_func (request_record_free);

  self->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 10, NULL);
  soup_session_set_proxy_resolver (self->session, NULL);

  self->server = soup_server_new ("server-header", "tiktok-drafts-emulator ", NULL);
  soup_server_add_early_handler (self->server, "/upload", upload_early_handler, self, NULL);
  soup_server_add_handler (self->server, "/upload", upload_handler, self, NULL);
  soup_server_add_early_handler (self->server, NULL, default_early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, default_handler, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_aborted_cb), self);

  if (!soup_server_listen_local (self->server, (guint) port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("tiktok-drafts-emulator: cannot listen on 127.0.0.1:%d: %s\n",
                  port, error->message);
      return 1;
    }

  uris = soup_server_get_uris (self->server);
  for (l = uris; l != NULL; l = l->next)
    {
      if (self->base_url == NULL)
        self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (l->data));
      g_uri_unref (l->data);
    }
  if (self->base_url == NULL)
    {
      g_printerr ("tiktok-drafts-emulator: no listening address\n");
      return 1;
    }

  printf ("%s\n", self->base_url);
  fflush (stdout);

  if (url_file != NULL)
    {
      g_autofree char *line = g_strconcat (self->base_url, "\n", NULL);

      if (!g_file_set_contents (url_file, line, -1, &error))
        {
          g_printerr ("tiktok-drafts-emulator: %s\n", error->message);
          return 1;
        }
    }

  self->loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, self);
  g_unix_signal_add (SIGTERM, quit_cb, self);
  g_main_loop_run (self->loop);

  soup_server_disconnect (self->server);
  g_ptr_array_unref (self->drafts);
  g_hash_table_unref (self->drafts_by_id);
  g_hash_table_unref (self->drafts_by_upload_id);
  g_hash_table_unref (self->grants_by_access);
  g_hash_table_unref (self->grants_by_refresh);
  g_hash_table_unref (self->codes);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->direct_post_attempts);
  g_ptr_array_unref (self->requests);
  g_object_unref (self->server);
  g_object_unref (self->session);
  g_main_loop_unref (self->loop);
  g_bytes_unref (self->avatar_png);
  g_free (self->base_url);
  g_free (self->client_key);
  g_free (self->client_secret);
  g_strfreev (self->redirect_uris);
  g_strfreev (self->verified_prefixes);
  g_free (self->display_name);
  g_free (self->open_id);
  g_free (self->union_id);

  return 0;
}
