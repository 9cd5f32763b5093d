/* ttd-emulator-private.h — what the emulator's sections share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A strict, local emulation of the TikTok Login Kit (OAuth v2) and Content
 * Posting API (inbox drafts) as described in the project guide
 * tiktok-api.md §2–§7.  It is used by the integration and e2e tests, by the
 * C tests (ttd-emulator.h) and by the app's demo mode.  It listens on
 * 127.0.0.1 only.
 *
 * TikTok endpoints (point TIKTOK_DRAFTS_API_BASE at the base URL and
 * TIKTOK_DRAFTS_AUTH_URL at URL/v2/auth/authorize/); ttd-emulator-routes.c
 * holds the one table of them:
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
 *                                 connection is cut for the next 3 s),
 *                                 expire-upload-url-after-2-chunks (the
 *                                 upload URL expires once a draft has its
 *                                 second chunk, whatever the client's pace).
 *                                 expire-access-tokens and expire-upload-urls
 *                                 act immediately; the others hit the next
 *                                 matching request.  Unknown NAME: 400.
 *   POST /_emulator/act-on-drafts every SEND_TO_USER_INBOX draft becomes
 *                                 acted on → {"acted": N}
 *   POST /_emulator/user          {"display_name": NAME} signs "the browser" in
 *                                 as the user called NAME (made up, with a new
 *                                 open_id, the first time): the next authorize
 *                                 grants that user → {"open_id", "display_name"}.
 *                                 The state's "users" lists them all
 *                                 {open_id, display_name, pending_drafts}.
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
 *     429 (or 500 by an armed fault) do not extend the window;
 *   - a video whose upload URL expired before completion stays
 *     PROCESSING_UPLOAD but no longer counts as pending.
 *
 * Everything runs on the emulator's own thread and GMainContext
 * (ttd-emulator-server.c); nothing here is locked.
 */

#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "ttd-emulator.h"

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
#define MAX_PHOTO_BYTES  G_GINT64_CONSTANT (20000000)
#define MAX_PHOTOS       35
#define MAX_TITLE        90
#define MAX_DESCRIPTION  4000
#define MAX_BODY         (1024 * 1024)

/* Draft states are compared by address, so they live in one place. */
extern const char EMU_STATUS_UPLOAD[];
extern const char EMU_STATUS_DOWNLOAD[];
extern const char EMU_STATUS_INBOX[];
extern const char EMU_STATUS_FAILED[];

#define DESC_BAD_PKCE    "Code verifier or code challenge is invalid."
#define DESC_MALFORMED   "The request parameters are malformed."
#define DESC_CHUNK       "The chunk size is invalid"

extern const char * const emu_fault_names[];

typedef struct _TtdEmulator Emulator;

/* The counters of GET /_emulator/state; COUNT_NONE counts nothing. */
typedef enum
{
  COUNT_NONE,
  COUNT_AUTHORIZE,
  COUNT_TOKEN_EXCHANGES,
  COUNT_REFRESHES,
  COUNT_REVOKES,
  COUNT_VIDEO_INITS,
  COUNT_CONTENT_INITS,
  COUNT_STATUS_FETCHES,
  COUNT_PUTS,
  COUNT_USER_INFO,
  COUNT_CANCELS,
  COUNT_DIRECT_POST,
  N_COUNTS
} Count;

/* The per-token, per-endpoint sliding windows of the rate limits. */
typedef enum
{
  WINDOW_NONE,
  WINDOW_VIDEO_INIT,
  WINDOW_CONTENT_INIT,
  WINDOW_STATUS,
  WINDOW_USER_INFO,
  WINDOW_CANCEL,
  N_WINDOWS
} RateWindow;

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
  GArray *windows[N_WINDOWS];   /* gint64 monotonic µs of admitted requests */
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
  GSource *processing;          /* until PROCESSING_* ends */

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

struct _TtdEmulator
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  SoupSession *session;             /* photo pulls */
  char *base_url;
  guint photo_jobs;                 /* pulls still running */

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
  gboolean choose_account;

  /* the emulated users: open_id → display name, owned; the one signed in
   * to TikTok in "the browser" now (whom authorize grants) is open_id */
  GHashTable *users;
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
  guint counts[N_COUNTS];
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

/* What a route's handler gets once the guard let the request through;
 * @grant is NULL for routes without an access token.  Handlers are
 * declared with this type: "RouteHandler emu_handle_token;". */
typedef void (RouteHandler) (Emulator          *self,
                             SoupServerMessage *msg,
                             GHashTable        *query,
                             Grant             *grant);

/* ttd-emulator-util.c: randomness, encodings, rate windows, faults */
char       *emu_base64url_encode     (const guint8      *data,
                                      gsize              len);
char       *emu_random_b64url        (gsize              nbytes);
char       *emu_random_digits        (guint              n);
char       *emu_random_uuid          (void);
char       *emu_make_log_id          (void);
char       *emu_iso8601_from_us      (gint64             real_us);
gboolean    emu_rate_limited         (GArray            *times,
                                      guint              limit);
gboolean    emu_take_fault           (Emulator          *self,
                                      const char        *name);

/* ttd-emulator-http.c: answers and request parsing */
void        emu_send_json_object     (SoupServerMessage *msg,
                                      guint              status,
                                      JsonObject        *object);
void        emu_send_ok              (SoupServerMessage *msg,
                                      JsonObject        *data);
void        emu_send_error           (SoupServerMessage *msg,
                                      guint              status,
                                      const char        *code,
                                      const char        *message);
void        emu_send_oauth_error     (SoupServerMessage *msg,
                                      guint              status,
                                      const char        *error,
                                      const char        *description);
void        emu_send_html_error      (SoupServerMessage *msg,
                                      guint              status,
                                      const char        *text);
char       *emu_request_body_text    (SoupServerMessage *msg,
                                      gsize             *len_out);
gboolean    emu_content_type_is      (SoupServerMessage *msg,
                                      const char        *wanted,
                                      gboolean           allow_charset);
Grant      *emu_require_grant        (Emulator          *self,
                                      SoupServerMessage *msg);
gboolean    emu_grant_has_scope      (Grant             *grant,
                                      const char        *scope);
gboolean    emu_require_scope        (SoupServerMessage *msg,
                                      Grant             *grant,
                                      const char        *scope);
JsonObject *emu_parse_json_body      (SoupServerMessage *msg);
const char *emu_json_get_string      (JsonObject        *object,
                                      const char        *name);
gboolean    emu_json_get_int         (JsonObject        *object,
                                      const char        *name,
                                      gint64            *out);
JsonObject *emu_json_get_object      (JsonObject        *object,
                                      const char        *name);
glong       emu_utf16_length         (const char        *text);
gboolean    emu_url_is_verified      (Emulator          *self,
                                      const char        *url);
gboolean    emu_cut_if_outage        (Emulator          *self,
                                      SoupServerMessage *msg);

/* ttd-emulator-drafts.c */
Draft      *emu_draft_new            (Emulator          *self,
                                      DraftKind          kind,
                                      Grant             *grant,
                                      const char        *prefix);
void        emu_draft_free           (gpointer           data);
void        emu_photo_image_free     (gpointer           data);
void        emu_draft_fail           (Draft             *draft,
                                      const char        *reason);
void        emu_draft_start_processing (Draft           *draft);
gboolean    emu_draft_is_pending     (Draft             *draft,
                                      gint64             now);
guint       emu_count_pending        (Emulator          *self,
                                      const char        *open_id);
gboolean    emu_pending_gate         (Emulator          *self,
                                      SoupServerMessage *msg,
                                      Grant             *grant);

/* ttd-emulator-oauth.c */
void        emu_auth_code_free       (gpointer           data);
void        emu_grant_free           (gpointer           data);
Grant      *emu_issue_grant          (Emulator          *self,
                                      const char        *client_key,
                                      const char        *open_id,
                                      const char        *scope);
RouteHandler emu_handle_authorize;
RouteHandler emu_handle_token;
RouteHandler emu_handle_revoke;

/* ttd-emulator-user.c */
RouteHandler emu_handle_user_info;

/* ttd-emulator-video.c */
RouteHandler emu_handle_video_init;
void        emu_upload_early_handler (SoupServer        *server,
                                      SoupServerMessage *msg,
                                      const char        *path,
                                      GHashTable        *query,
                                      gpointer           user_data);
void        emu_upload_handler       (SoupServer        *server,
                                      SoupServerMessage *msg,
                                      const char        *path,
                                      GHashTable        *query,
                                      gpointer           user_data);

/* ttd-emulator-probe.c: JPEG and WebP headers */
ProbeResult emu_probe_image          (const guint8      *d,
                                      gsize              len,
                                      gboolean           eof,
                                      ProbeInfo         *info);

/* ttd-emulator-photo.c */
RouteHandler emu_handle_content_init;

/* ttd-emulator-status.c: status, cancel and the direct-post refusals */
void        emu_record_direct_post   (Emulator          *self,
                                      SoupServerMessage *msg);
RouteHandler emu_refuse_direct_post;
RouteHandler emu_handle_status_fetch;
RouteHandler emu_handle_cancel;

/* ttd-emulator-control.c: fault arming and the other control endpoints */
gboolean    emu_arm_fault            (Emulator          *self,
                                      const char        *name);
guint       emu_act_on_drafts        (Emulator          *self);
void        emu_reset                (Emulator          *self);
RouteHandler emu_handle_admin_fault;
RouteHandler emu_handle_admin_act;
RouteHandler emu_handle_admin_reset;
RouteHandler emu_handle_admin_user;
void         emu_sign_in_browser_user (Emulator   *self,
                                       const char *display_name);
const char  *emu_user_display_name (Emulator   *self,
                                    const char *open_id);
RouteHandler emu_handle_avatar;

/* ttd-emulator-inspect.c: recording and inspection */
JsonNode   *emu_build_state          (Emulator          *self);
RouteHandler emu_handle_admin_state;
void        emu_request_record_free  (gpointer           data);
void        emu_direct_post_attempt_free (gpointer       data);
void        emu_log_request          (Emulator          *self,
                                      SoupServerMessage *msg,
                                      gboolean           aborted);

/* ttd-emulator-routes.c: the route table and its one guard */
void        emu_add_routes           (Emulator          *self);
